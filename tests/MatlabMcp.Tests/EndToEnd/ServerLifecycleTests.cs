using System.Diagnostics;
using MatlabMcp.Tests.Pool;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>Shutdown and crash of the real server process: drains calls, leaves no engine behind.</summary>
public sealed class ServerLifecycleTests
{
    private static async Task<(int Engine, int Server)> PidsAsync(McpClient client)
    {
        var result = await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "fprintf('%d %d', getpid(), getppid())")));
        var pids = StdioServerTests.Text(result).Split(' ').Select(int.Parse).ToArray();
        return (pids[0], pids[1]);
    }

    [Fact]
    public async Task Sigterm_LetsTheRunningCallFinish_ThenStopsEngines()
    {
        var client = await ServerProcess.ConnectStdioAsync();
        try
        {
            var (engine, server) = await PidsAsync(client);
            Assert.Equal("dotnet", Process.GetProcessById(server).ProcessName);

            var call = client.CallToolAsync("execute_code", ServerProcess.Args(("code", "pause(2); disp('finished')"))).AsTask();
            await WaitUntilBusyAsync(client);
            using (var kill = Process.Start("kill", ["-TERM", server.ToString()]))
                await kill.WaitForExitAsync();

            var result = await call.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("finished", StdioServerTests.Text(result));
            Assert.True(SessionTests.ProcessGone(server), "server still running after SIGTERM");
            Assert.True(SessionTests.ProcessGone(engine), "engine left behind after SIGTERM");
        }
        finally
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Kill9OfTheServer_EnginesDieWithIt()
    {
        var client = await ServerProcess.ConnectStdioAsync();
        try
        {
            await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "1;"), ("session", "second")));
            var (engine, server) = await PidsAsync(client);
            var secondEngine = int.Parse(StdioServerTests.Text(await client.CallToolAsync("execute_code",
                ServerProcess.Args(("code", "fprintf('%d', getpid())"), ("session", "second")))));

            Process.GetProcessById(server).Kill(); // SIGKILL: no cleanup code runs in the server

            Assert.True(SessionTests.ProcessGone(engine), "orphan engine after kill -9 of the server");
            Assert.True(SessionTests.ProcessGone(secondEngine), "orphan engine after kill -9 of the server");
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
