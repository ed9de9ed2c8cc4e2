using System.Diagnostics;
using MatlabMcp.Tests.Pool;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>Shutdown and crash of the real server process: drains calls, leaves no engine behind.</summary>
public sealed class ServerLifecycleTests
{
    private static async Task<(McpClient Client, int Server)> StartAsync(string drainTimeout = "20")
    {
        var database = Path.Combine(Path.GetTempPath(), "mcp-e2e", $"jobs-{Guid.NewGuid():N}.db");
        var client = await ServerProcess.ConnectStdioAsync(environment: new Dictionary<string, string?>
        {
            ["MATLAB_MCP_JOBS__DATABASE"] = database,
            ["MATLAB_MCP_POOL__DRAIN_TIMEOUT"] = drainTimeout,
            // An engine caught mid-start by the kill is ended by its start-up watchdog, within this time.
            ["MATLAB_MCP_ENGINE__STARTUP_TIMEOUT"] = "8",
        });
        return (client, ProcessTree.FindServer(database));
    }

    [Test]
    public async Task Sigterm_LetsTheRunningCallFinish_ThenStopsEngines()
    {
        var (client, server) = await StartAsync();
        try
        {
            await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "1;")));
            var engines = ProcessTree.Descendants(server);
            await Assert.That(engines).IsNotEmpty();

            var call = client.CallToolAsync("execute_code", ServerProcess.Args(("code", "pause(2); disp('finished')"))).AsTask();
            await WaitUntilBusyAsync(client);
            using (var kill = Process.Start("kill", ["-TERM", server.ToString()]))
                await kill.WaitForExitAsync();

            var result = await call.WaitAsync(TimeSpan.FromSeconds(30));
            await Assert.That(StdioServerTests.Text(result)).IsEqualTo("finished");
            await Assert.That(SessionTests.ProcessGone(server)).IsTrue().Because("server still running after SIGTERM");
            foreach (var pid in engines)
                await Assert.That(SessionTests.ProcessGone(pid)).IsTrue().Because($"engine process {pid} left behind after SIGTERM");
        }
        finally
        {
            await client.DisposeAsync();
        }
    }

    [Test]
    public async Task Sigterm_DrainTimeout_BoundsTheWaitForALongCall()
    {
        var (client, server) = await StartAsync(drainTimeout: "1");
        try
        {
            await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "1;")));
            var engines = ProcessTree.Descendants(server);
            _ = client.CallToolAsync("execute_code", ServerProcess.Args(("code", "pause(60)"))).AsTask()
                .ContinueWith(_ => { }, TaskScheduler.Default);
            await WaitUntilBusyAsync(client);
            var signalled = Stopwatch.GetTimestamp();
            using (var kill = Process.Start("kill", ["-TERM", server.ToString()]))
                await kill.WaitForExitAsync();

            await Assert.That(SessionTests.ProcessGone(server, TimeSpan.FromSeconds(12))).IsTrue().Because("server still running long after pool.drain_timeout (1 s; the default is 20 s)");
            await Assert.That(Stopwatch.GetElapsedTime(signalled) < TimeSpan.FromSeconds(12)).IsTrue();
            foreach (var pid in engines)
                await Assert.That(SessionTests.ProcessGone(pid)).IsTrue().Because($"engine process {pid} left behind");
        }
        finally
        {
            await client.DisposeAsync().AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [Test]
    public async Task Kill9OfTheServer_EnginesDieWithIt()
    {
        var (client, server) = await StartAsync();
        try
        {
            await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "1;")));
            await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "1;"), ("session", "second")));
            var engines = ProcessTree.Descendants(server).ToDictionary(pid => pid, ProcessTree.Describe);
            await Assert.That(engines.Count >= 2).IsTrue().Because("expected engine processes under the server");

            Process.GetProcessById(server).Kill(); // SIGKILL: no cleanup code runs in the server

            foreach (var e in engines)
                await Assert.That(SessionTests.ProcessGone(e.Key, TimeSpan.FromSeconds(20))).IsTrue()
                    .Because($"orphan process {e.Key} after kill -9 of the server: was '{e.Value}', now '{ProcessTree.Describe(e.Key)}'");
        }
        finally
        {
            await client.DisposeAsync().AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task WaitUntilBusyAsync(McpClient client)
    {
        for (var i = 0; i < 100; i++)
        {
            var list = await client.CallToolAsync("list_sessions", new Dictionary<string, object?>());
            if (StdioServerTests.Text(list).Contains("busy"))
                return;
            await Task.Delay(20);
        }
        throw new TimeoutException("the call never showed as running");
    }
}
