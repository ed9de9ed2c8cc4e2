using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>The bridge against a real Octave: round trips, persistence and errors.</summary>
public sealed class EngineBridgeTests : IAsyncDisposable
{
    private readonly EngineHarness _engine = new();

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Test]
    public async Task Execute_Statement_ReturnsPrintedOutput()
    {
        var outcome = await _engine.RunAsync("disp(6 * 7)");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Completed);
        await Assert.That(outcome.Output).IsEqualTo("42\n");
    }

    [Test]
    public async Task Execute_VariableAssigned_PersistsToNextCall()
    {
        await _engine.RunAsync("x = 42;");
        var outcome = await _engine.RunAsync("disp(x + 1)");

        await Assert.That(outcome.Output).IsEqualTo("43\n");
    }

    [Test]
    public async Task ClosingAllFiles_ClosesOnlyTheCodesFiles_AndTheSessionCarriesOn()
    {
        // Common idioms: without the shadowed fopen/fclose they closed the bridge's pipes too and ended the engine.
        await _engine.RunAsync("kept = 42; a = fopen('a.txt', 'w'); b = fopen('b.txt', 'w');");

        var listed = await _engine.RunAsync("disp(isequal(sort(fopen('all')), sort([a b])))");
        var loop = await _engine.RunAsync("for f = fopen('all'), fclose(f); end; disp(isempty(fopen('all')))");
        var all = await _engine.RunAsync("c = fopen('a.txt'); fclose('all'); disp(isempty(fopen('all')))");
        // Octave numbers handles in the order files open: the bridge opened its two pipes just before.
        var bridgeHandle = await _engine.RunAsync("fclose(min([a b]) - 1)");
        var after = await _engine.RunAsync("disp(kept); fid = fopen('b.txt'); disp(fclose(fid))");

        await Assert.That(new[] { listed, loop, all }.Select(o => (o.Status, o.Output)).Distinct()).IsEquivalentTo([(JobState.Completed, "1\n")], CollectionOrdering.Matching);
        await Assert.That(bridgeHandle.Status).IsEqualTo(JobState.Failed);
        await Assert.That(bridgeHandle.Error!.Identifier).IsEqualTo("mcp:bridge");
        await Assert.That(bridgeHandle.Error.Message).Contains("fclose('all') closes only your files");
        await Assert.That((after.Status, after.Output)).IsEqualTo((JobState.Completed, "42\n0\n"));
    }

    [Test]
    public async Task Execute_UnicodeText_SurvivesTheRoundTrip()
    {
        var outcome = await _engine.RunAsync("disp('héllo ✓ 数学')");

        await Assert.That(outcome.Output).IsEqualTo("héllo ✓ 数学\n");
    }

    [Test]
    public async Task Execute_ErrorInFunction_ReturnsIdentifierMessageStackAndEarlierOutput()
    {
        var session = await _engine.SessionAsync();
        await File.WriteAllTextAsync(Path.Combine(session.Folder, "failing_helper.m"),
            "function failing_helper(n)\n  disp('inside');\n  error('demo:bad', 'bad value %d', n);\nend\n");

        var outcome = await _engine.RunAsync("disp('before'); failing_helper(3)");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Failed);
        await Assert.That(outcome.Output).IsEqualTo("before\ninside\n");
        await Assert.That(outcome.Error!.Identifier).IsEqualTo("demo:bad");
        await Assert.That(outcome.Error.Message).IsEqualTo("bad value 3");
        // The function's frame, then the line of the submitted code that called it.
        await Assert.That(outcome.Error.Stack!.Select(f => (f.Name, f.Line))).IsEquivalentTo([("failing_helper", 3), ("submitted code", 1)], CollectionOrdering.Matching);
    }

    [Test]
    public async Task Execute_UndefinedFunction_ReturnsOctaveIdentifier()
    {
        var outcome = await _engine.RunAsync("y = no_such_function_xyz(1);");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Failed);
        await Assert.That(outcome.Error!.Identifier).IsEqualTo("Octave:undefined-function");
        await Assert.That(outcome.Error.Message).Contains("no_such_function_xyz");
    }

    [Test]
    public async Task Execute_ParseError_ReturnsEmptyIdentifierAndSessionStillWorks()
    {
        await _engine.RunAsync("kept = 5;");

        var outcome = await _engine.RunAsync("x = [1 2");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Failed);
        await Assert.That(outcome.Error!.Identifier).IsEqualTo("");
        await Assert.That(outcome.Error.Message).Contains("parse error");
        await Assert.That((await _engine.RunAsync("disp(kept)")).Output).IsEqualTo("5\n");
    }

    [Test]
    [Arguments("answer = input('value? ');")]
    [Arguments("keyboard")]
    [Arguments("pause")]
    [Arguments("pause(Inf)")]
    [Arguments("choice = menu('pick', 'a', 'b');")]
    public async Task Execute_InteractiveCall_FailsFastWithClearError(string code)
    {
        var outcome = await _engine.RunAsync(code, timeoutSeconds: 20);

        await Assert.That(outcome.Status).IsEqualTo(JobState.Failed);
        await Assert.That(outcome.Error!.Identifier).IsEqualTo("mcp:interactive");
        await Assert.That(outcome.Elapsed < TimeSpan.FromSeconds(10)).IsTrue().Because($"took {outcome.Elapsed}");
    }

    [Test]
    public async Task Execute_PauseWithDuration_StillWorks()
    {
        var outcome = await _engine.RunAsync("pause(0.05); disp('done')");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Completed);
        await Assert.That(outcome.Output).IsEqualTo("done\n");
    }

    [Test]
    public async Task Execute_ClearAll_DoesNotBreakTheBridge()
    {
        await _engine.RunAsync("a = 1; clear all; clear functions;");

        var outcome = await _engine.RunAsync("b = 2; disp(b)");

        await Assert.That(outcome.Output).IsEqualTo("2\n");
    }
}
