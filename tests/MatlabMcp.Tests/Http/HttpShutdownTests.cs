using MatlabMcp.Tests.EndToEnd;
using MatlabMcp.Tests.Pool;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol;

namespace MatlabMcp.Tests.Http;

/// <summary>SIGTERM of the HTTP server: the call in flight still gets its answer, then nothing is left running.</summary>
public sealed class HttpShutdownTests
{
    [Test]
    [Arguments("2025-11-25")]
    [Arguments(null)] // 2026-07-28, stateless
    public async Task Sigterm_LetsTheRunningCallFinish_ThenExits(string? protocolVersion)
    {
        await using var server = await HttpServerProcess.StartAsync();
        await using var client = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = server.Endpoint }),
            new McpClientOptions { ProtocolVersion = protocolVersion, DiscoverProbeTimeout = ServerProcess.DiscoverProbe });
        await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "y = 1;")));
        // Engines live in a pid namespace (sandbox), so they are found from outside, under the server.
        var engines = ProcessTree.Descendants(server.ProcessId);
        await Assert.That(engines).IsNotEmpty();

        // The code reports progress once it runs: that, not a sleep, says when to send SIGTERM. (The short pause
        // first: a report in the very first instant of a call is not always relayed yet.)
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = client.CallToolAsync("execute_code",
            ServerProcess.Args(("code", "pause(0.3); mcp_progress(0.1, 'started'); pause(2); disp('finished')")),
            new InlineProgress(value => { if (value.Message?.Contains("started") == true) running.TrySetResult(); })).AsTask();
        await running.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await server.TerminateAsync();

        var result = await call.WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.That(StdioServerTests.Text(result)).IsEqualTo("finished");
        await Assert.That(await server.WaitForExitAsync(TimeSpan.FromSeconds(30))).IsEqualTo(0);
        foreach (var pid in engines)
            await Assert.That(SessionTests.ProcessGone(pid)).IsTrue().Because($"process {pid} left behind after SIGTERM");
    }
}
