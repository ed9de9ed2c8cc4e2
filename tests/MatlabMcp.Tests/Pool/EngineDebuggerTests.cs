using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>
/// Nothing may leave an engine waiting at Octave's debug> prompt: every way into the debugger is refused at once,
/// with the code policy off, so the refusal comes from the engine and not from the static check.
/// </summary>
public sealed class EngineDebuggerTests : IAsyncDisposable
{
    private readonly EngineHarness _engine = new(c => c.CodePolicy.Enabled = false);

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Test]
    [Arguments("dbstop if error\nerror('demo:boom', 'boom');")]
    [Arguments("dbstop('if', 'error'); x = [1 2] + [1 2 3];")]
    [Arguments("dbstop if warning\nwarning('demo:warn', 'careful');")]
    [Arguments("dbstop in debugged_helper at 2\ndebugged_helper();")]
    [Arguments("dbstop debugged_helper\ndebugged_helper();")]
    [Arguments("debug_on_error(true); error('demo:boom', 'boom');")]
    [Arguments("debug_on_error(1, 'local'); error('demo:boom', 'boom');")]
    [Arguments("debug_on_warning(true); warning('demo:warn', 'careful');")]
    [Arguments("debug_on_interrupt(true);")]
    [Arguments("dbstep")]
    [Arguments("dbstep in")]
    [Arguments("dbnext")]
    [Arguments("dbcont")]
    [Arguments("dbquit")]
    [Arguments("dbup")]
    [Arguments("dbdown")]
    public async Task DebuggerEntry_IsRefusedAtOnce_AndTheSessionCarriesOn(string code)
    {
        var session = await _engine.SessionAsync();
        await File.WriteAllTextAsync(Path.Combine(session.Folder, "debugged_helper.m"),
            "function debugged_helper()\n  disp('in helper');\nend\n");
        await _engine.RunAsync("kept = 7;");

        var outcome = await _engine.RunAsync(code, timeoutSeconds: 20);

        await Assert.That(outcome.Status).IsEqualTo(JobState.Failed);
        await Assert.That(outcome.Error!.Identifier).IsEqualTo("mcp:debugger");
        await Assert.That(outcome.Error.Message).Contains("no debugger");
        await Assert.That(outcome.Elapsed < TimeSpan.FromSeconds(10)).IsTrue().Because($"took {outcome.Elapsed}");
        var after = await _engine.RunAsync("disp(kept); error('demo:after', 'plain error');", timeoutSeconds: 20);
        await Assert.That(after.Status).IsEqualTo(JobState.Failed);
        await Assert.That((after.Output, after.Error!.Identifier)).IsEqualTo(("7\n", "demo:after"));
    }

    /// <remarks>
    /// builtin() goes around the shadows (the code policy refuses it; it is off here). Octave's debug prompt does not
    /// give way to an interrupt, so the time limit ends in a killed engine: the workspace is lost, the session is not.
    /// </remarks>
    [Test]
    public async Task DebugPromptReachedAroundTheShadows_EndsAtTheTimeLimit_AndTheSessionCarriesOn()
    {
        var session = await _engine.SessionAsync();
        await File.WriteAllTextAsync(Path.Combine(session.Folder, "debugged_helper.m"),
            "function debugged_helper()\n  disp('in helper');\nend\n");

        var stuck = await _engine.RunAsync("builtin('dbstop', 'in', 'debugged_helper'); debugged_helper();", timeoutSeconds: 3);

        await Assert.That(stuck.Status).IsEqualTo(JobState.TimedOut);
        var after = await _engine.RunAsync("debugged_helper();", timeoutSeconds: 20);
        await Assert.That((after.Status, after.Output)).IsEqualTo((JobState.Completed, "in helper\n"));
    }

    [Test]
    public async Task DebugFlags_CanBeReadAndSwitchedOff()
    {
        var outcome = await _engine.RunAsync("debug_on_error(false); debug_on_warning(0); old = debug_on_interrupt(false); " +
            "disp([debug_on_error(), debug_on_warning(), old])");

        await Assert.That((outcome.Status, outcome.Output)).IsEqualTo((JobState.Completed, "  0  0  0\n"));
    }
}
