using MatlabMcp.Jobs;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Security;

/// <summary>The policy inside execution: refused code never reaches the engine.</summary>
public sealed class PolicyExecutionTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Fact]
    public async Task Execute_BlockedCall_IsRejectedBeforeTheEngineRunsAnything()
    {
        var outcome = await _engine.RunAsync("fclose(fopen('made_before_system.txt', 'w'));\nsystem('ls')");

        Assert.Equal(ExecutionStatus.Rejected, outcome.Status);
        Assert.Contains("line 2, column 1: system is blocked", outcome.Message);
        Assert.Contains("[policy: blocked-function]", outcome.Message);
        Assert.Equal("system", Assert.Single(outcome.Policy!.Violations).Subject);
        var marker = Path.Combine((await _engine.SessionAsync()).Folder, "made_before_system.txt");
        Assert.False(File.Exists(marker), "the first statement ran: the engine saw refused code");
    }

    [Fact]
    public async Task Execute_AfterARejection_TheSessionStillWorks()
    {
        await _engine.RunAsync("kept = 41;");
        await _engine.RunAsync("f = @unix; f('ls')");

        var outcome = await _engine.RunAsync("disp(kept + 1)");

        Assert.Equal(ExecutionStatus.Completed, outcome.Status);
        Assert.Equal("42\n", outcome.Output);
    }

    [Fact]
    public async Task Execute_NameFromAnEarlierCall_ReachingAFunctionSlot_IsRefused()
    {
        // The name travels as data: a variable set by an earlier call, then handed to cellfun or to @feval.
        Assert.Equal(ExecutionStatus.Completed, (await _engine.RunAsync("f = 'system'; g = {'system'};")).Status);

        var viaVariable = await _engine.RunAsync("if false, f = @sin; end\ncellfun(f, {'echo pwned > pwned1.txt'})");
        var viaDispatcher = await _engine.RunAsync("cellfun(@feval, g, {'echo pwned > pwned2.txt'})");

        Assert.Equal(ExecutionStatus.Rejected, viaVariable.Status);
        Assert.Contains("@sin", viaVariable.Message);
        Assert.Equal(ExecutionStatus.Rejected, viaDispatcher.Status);
        Assert.Contains("@feval", viaDispatcher.Message);
        var folder = (await _engine.SessionAsync()).Folder;
        Assert.False(File.Exists(Path.Combine(folder, "pwned1.txt")) || File.Exists(Path.Combine(folder, "pwned2.txt")));
        // The same shapes with a handle the code assigns itself run.
        var fine = await _engine.RunAsync("f = @numel;\ndisp(cellfun(f, {[1 2 3]}))");
        Assert.Equal("3\n", fine.Output);
    }

    [Fact]
    public async Task Execute_PolicyDisabled_RunsTheCode()
    {
        await using var engine = new EngineHarness(c => c.CodePolicy.Enabled = false);

        var outcome = await engine.RunAsync("[status, out] = system('echo policy-off'); disp(strtrim(out))");

        Assert.Equal(ExecutionStatus.Completed, outcome.Status);
        Assert.Equal("policy-off\n", outcome.Output);
    }
}
