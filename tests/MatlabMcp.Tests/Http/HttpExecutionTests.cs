using MatlabMcp.Tests.EndToEnd;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Http;

/// <summary>
/// The execution path over the SDK's HTTP transport, in both modes (2025-11-25 with a session, 2026-07-28
/// stateless): output streamed while code runs, and a call the client cancels stops its code and keeps the workspace.
/// </summary>
[ClassDataSource<AuthenticatedServerFixture>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(HttpExecutionTests))] // one server for the class: its tests take turns
public sealed class HttpExecutionTests(AuthenticatedServerFixture fixture)
{
    [Test]
    [Arguments("2025-11-25")]
    [Arguments(null)]
    public async Task PrintedOutput_ReachesTheClientWhileTheCodeStillRuns(string? protocolVersion)
    {
        await using var client = await fixture.ConnectAsync(fixture.AliceToken, protocolVersion);
        await StreamedOutput.AssertEarlyLineArrivesBeforeTheEndAsync(client);
    }

    [Test]
    [Arguments("2025-11-25")]
    [Arguments(null)]
    public async Task CancelledCall_StopsItsCode_AndKeepsTheWorkspace(string? protocolVersion)
    {
        await using var client = await fixture.ConnectAsync(fixture.BobToken, protocolVersion);
        await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "kept = 8; spins = 0;")));
        using var cancel = new CancellationTokenSource();

        // The first progress report names the running job: the code has started.
        var call = client.CallToolAsync("execute_code", ServerProcess.Args(("code", "while true, spins = spins + 1; end")),
            new InlineProgress(_ => cancel.Cancel()), cancellationToken: cancel.Token).AsTask();
        await Assert.ThrowsAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(60)));

        // Queue behind the cancelled run if it is still unwinding; it must end, not run on to the time limit.
        var after = await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(kept); disp(spins > 0)"), ("wait_seconds", 30)));
        await Assert.That(StdioServerTests.Text(after)).IsEqualTo("8\n1");
    }
}
