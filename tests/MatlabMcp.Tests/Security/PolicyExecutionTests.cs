using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Security;

/// <summary>The policy inside execution: refused code never reaches the engine.</summary>
public sealed class PolicyExecutionTests : IAsyncDisposable
{
    private readonly EngineHarness _engine = new();

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Test]
    public async Task Execute_BlockedCall_IsRejectedBeforeTheEngineRunsAnything()
    {
        var outcome = await _engine.RunAsync("fclose(fopen('made_before_system.txt', 'w'));\nsystem('ls')");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Rejected);
        await Assert.That(outcome.Message).Contains("line 2, column 1: system is blocked");
        await Assert.That(outcome.Message).Contains("[policy: blocked-function]");
        await Assert.That((await Assert.That(outcome.Policy!.Violations).HasSingleItem()).Subject).IsEqualTo("system");
        var marker = Path.Combine((await _engine.SessionAsync()).Folder, "made_before_system.txt");
        await Assert.That(File.Exists(marker)).IsFalse().Because("the first statement ran: the engine saw refused code");
    }

    [Test]
    public async Task Execute_AfterARejection_TheSessionStillWorks()
    {
        await _engine.RunAsync("kept = 41;");
        await _engine.RunAsync("f = @unix; f('ls')");

        var outcome = await _engine.RunAsync("disp(kept + 1)");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Completed);
        await Assert.That(outcome.Output).IsEqualTo("42\n");
    }

    [Test]
    public async Task Execute_NameFromAnEarlierCall_ReachingAFunctionSlot_IsRefused()
    {
        // The name travels as data: a variable set by an earlier call, then handed to cellfun or to @feval.
        await Assert.That((await _engine.RunAsync("f = 'system'; g = {'system'};")).Status).IsEqualTo(JobState.Completed);

        var viaVariable = await _engine.RunAsync("if false, f = @sin; end\ncellfun(f, {'echo pwned > pwned1.txt'})");
        var viaDispatcher = await _engine.RunAsync("cellfun(@feval, g, {'echo pwned > pwned2.txt'})");

        await Assert.That(viaVariable.Status).IsEqualTo(JobState.Rejected);
        await Assert.That(viaVariable.Message).Contains("@sin");
        await Assert.That(viaDispatcher.Status).IsEqualTo(JobState.Rejected);
        await Assert.That(viaDispatcher.Message).Contains("@feval");
        var folder = (await _engine.SessionAsync()).Folder;
        await Assert.That(File.Exists(Path.Combine(folder, "pwned1.txt")) || File.Exists(Path.Combine(folder, "pwned2.txt"))).IsFalse();
        // The same shapes with a handle the code assigns itself run.
        var fine = await _engine.RunAsync("f = @numel;\ndisp(cellfun(f, {[1 2 3]}))");
        await Assert.That(fine.Output).IsEqualTo("3\n");
    }

    [Test]
    public async Task Execute_PolicyDisabled_RunsTheCode()
    {
        await using var engine = new EngineHarness(c => c.CodePolicy.Enabled = false);

        var outcome = await engine.RunAsync("[status, out] = system('echo policy-off'); disp(strtrim(out))");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Completed);
        await Assert.That(outcome.Output).IsEqualTo("policy-off\n");
    }
}
