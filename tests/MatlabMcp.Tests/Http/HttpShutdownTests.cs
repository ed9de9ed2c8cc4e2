using MatlabMcp.Tests.EndToEnd;
using MatlabMcp.Tests.Pool;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;

namespace MatlabMcp.Tests.Http;

/// <summary>SIGTERM of the HTTP server: the call in flight still gets its answer, then nothing is left running.</summary>
public sealed class HttpShutdownTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mcp-http-stop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("2025-11-25")]
    [InlineData(null)] // 2026-07-28, stateless
    public async Task Sigterm_LetsTheRunningCallFinish_ThenExits(string? protocolVersion)
    {
        await using var server = await HttpServerProcess.StartAsync();
        await using var client = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = server.Endpoint }),
            new McpClientOptions { ProtocolVersion = protocolVersion });
        var engine = int.Parse(StdioServerTests.Text(await client.CallToolAsync("execute_code",
            ServerProcess.Args(("code", "fprintf('%d', getpid())")))), System.Globalization.CultureInfo.InvariantCulture);

        // The engine creates a file once the call is running: that, not a sleep, says when to send SIGTERM.
        var marker = Path.Combine(_folder, "running");
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(_folder) { EnableRaisingEvents = true };
        watcher.Created += (_, e) => { if (e.FullPath == marker) running.TrySetResult(); };
        var call = client.CallToolAsync("execute_code",
            ServerProcess.Args(("code", $"fclose(fopen('{marker}', 'w')); pause(2); disp('finished')"))).AsTask();
        await running.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await server.TerminateAsync();

        var result = await call.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("finished", StdioServerTests.Text(result));
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(SessionTests.ProcessGone(engine), "engine left behind after SIGTERM");
    }
}
