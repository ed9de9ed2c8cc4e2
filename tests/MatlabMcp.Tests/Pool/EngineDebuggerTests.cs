using MatlabMcp.Jobs;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>
/// Nothing may leave an engine waiting at Octave's debug> prompt: every way into the debugger is refused at once,
/// with the code policy off, so the refusal comes from the engine and not from the static check.
/// </summary>
public sealed class EngineDebuggerTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new(c => c.CodePolicy.Enabled = false);

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Theory]
    [InlineData("dbstop if error\nerror('demo:boom', 'boom');")]
    [InlineData("dbstop('if', 'error'); x = [1 2] + [1 2 3];")]
    [InlineData("dbstop if warning\nwarning('demo:warn', 'careful');")]
    [InlineData("dbstop in debugged_helper at 2\ndebugged_helper();")]
    [InlineData("dbstop debugged_helper\ndebugged_helper();")]
    [InlineData("debug_on_error(true); error('demo:boom', 'boom');")]
    [InlineData("debug_on_error(1, 'local'); error('demo:boom', 'boom');")]
    [InlineData("debug_on_warning(true); warning('demo:warn', 'careful');")]
    [InlineData("debug_on_interrupt(true);")]
    [InlineData("dbstep")]
    [InlineData("dbstep in")]
    [InlineData("dbnext")]
    [InlineData("dbcont")]
    [InlineData("dbquit")]
    [InlineData("dbup")]
    [InlineData("dbdown")]
    public async Task DebuggerEntry_IsRefusedAtOnce_AndTheSessionCarriesOn(string code)
    {
        var session = await _engine.SessionAsync();
        await File.WriteAllTextAsync(Path.Combine(session.Folder, "debugged_helper.m"),
            "function debugged_helper()\n  disp('in helper');\nend\n");
        await _engine.RunAsync("kept = 7;");

        var outcome = await _engine.RunAsync(code, timeoutSeconds: 20);

        Assert.Equal(ExecutionStatus.Failed, outcome.Status);
        Assert.Equal("mcp:debugger", outcome.Error!.Identifier);
        Assert.Contains("no debugger", outcome.Error.Message);
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(10), $"took {outcome.Elapsed}");
        var after = await _engine.RunAsync("disp(kept); error('demo:after', 'plain error');", timeoutSeconds: 20);
        Assert.Equal(ExecutionStatus.Failed, after.Status);
        Assert.Equal(("7\n", "demo:after"), (after.Output, after.Error!.Identifier));
    }

    /// <remarks>
    /// builtin() goes around the shadows (the code policy refuses it; it is off here). Octave's debug prompt does not
    /// give way to an interrupt, so the time limit ends in a killed engine: the workspace is lost, the session is not.
    /// </remarks>
    [Fact]
    public async Task DebugPromptReachedAroundTheShadows_EndsAtTheTimeLimit_AndTheSessionCarriesOn()
    {
        var session = await _engine.SessionAsync();
        await File.WriteAllTextAsync(Path.Combine(session.Folder, "debugged_helper.m"),
            "function debugged_helper()\n  disp('in helper');\nend\n");

        var stuck = await _engine.RunAsync("builtin('dbstop', 'in', 'debugged_helper'); debugged_helper();", timeoutSeconds: 3);

        Assert.Equal(ExecutionStatus.TimedOut, stuck.Status);
        var after = await _engine.RunAsync("debugged_helper();", timeoutSeconds: 20);
        Assert.Equal((ExecutionStatus.Completed, "in helper\n"), (after.Status, after.Output));
    }

    [Fact]
    public async Task DebugFlags_CanBeReadAndSwitchedOff()
    {
        var outcome = await _engine.RunAsync("debug_on_error(false); debug_on_warning(0); old = debug_on_interrupt(false); " +
            "disp([debug_on_error(), debug_on_warning(), old])");

        Assert.Equal((ExecutionStatus.Completed, "  0  0  0\n"), (outcome.Status, outcome.Output));
    }
}
