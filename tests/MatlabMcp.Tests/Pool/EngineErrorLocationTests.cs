using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>Every error in submitted code names its line (and column where Octave knows it) in that code.</summary>
public sealed class EngineErrorLocationTests : IAsyncDisposable
{
    private readonly EngineHarness _engine = new();

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Test]
    [Arguments("a = 1;\nb = 2;\nc = [1 2 3];\n\nd = a + undefined_thing;\n", 5, "Octave:undefined-function")]
    [Arguments("a = [1 2 3];\nb = [1 2];\nc = a + b;\n", 3, "Octave:nonconformant-args")]
    [Arguments("a = [1 2 3];\n\nb = a(5);", 3, "Octave:index-out-of-bounds")]
    [Arguments("for k = 1:3\n  if k == 2\n    error('demo:stop', 'stopped at %d', k);\n  end\nend", 3, "demo:stop")]
    public async Task RuntimeError_InMultiLineCode_CarriesItsLineAndColumn(string code, int line, string identifier)
    {
        var outcome = await _engine.RunAsync(code);

        await Assert.That(outcome.Status).IsEqualTo(JobState.Failed);
        await Assert.That(outcome.Error!.Identifier).IsEqualTo(identifier);
        var frame = await Assert.That(outcome.Error.Stack!).HasSingleItem();
        await Assert.That((frame.Name, frame.Line)).IsEqualTo(("submitted code", line));
        await Assert.That(frame.Column > 0).IsTrue().Because($"column {frame.Column}");
        await Assert.That(outcome.Error.Message).DoesNotContain("near line 1,");
    }

    [Test]
    public async Task ErrorInAFunction_EndsWithTheLineOfTheSubmittedCodeThatCalledIt()
    {
        var session = await _engine.SessionAsync();
        await File.WriteAllTextAsync(Path.Combine(session.Folder, "located_helper.m"),
            "function located_helper(n)\n  error('demo:bad', 'bad value %d', n);\nend\n");

        var outcome = await _engine.RunAsync("x = 1;\nlocated_helper(x);\n");

        await Assert.That(outcome.Error!.Stack!.Select(f => (f.Name, f.Line))).IsEquivalentTo([("located_helper", 2), ("submitted code", 2)], CollectionOrdering.Matching);
    }

    [Test]
    public async Task ErrorInOneLine_CarriesLineOne()
    {
        var outcome = await _engine.RunAsync("x = [1 2] + [1 2 3];");

        await Assert.That(outcome.Error!.Identifier).IsEqualTo("Octave:nonconformant-args");
        await Assert.That((await Assert.That(outcome.Error.Stack!).HasSingleItem()) is var f ? (f.Name, f.Line) : default).IsEqualTo(("submitted code", 1));
    }

    [Test]
    public async Task ParseError_InTheMiddle_ShowsTheLineWithACaret_AndNoEnginePath()
    {
        var outcome = await _engine.RunAsync("a = 1;\nb = 1 +* 2;\nc = 3;\n");

        await Assert.That((outcome.Error!.Identifier, outcome.Status)).IsEqualTo(("", JobState.Failed));
        await Assert.That(outcome.Error.Message).Contains("parse error near line 2 of the submitted code");
        await Assert.That(outcome.Error.Message).Contains(">>> b = 1 +* 2;\n           ^");
        await Assert.That(outcome.Error.Message).DoesNotContain("/");
    }

    [Test]
    [Arguments("x = 1;\nif x > 0\n  y = 2;\n", 2, ">>> if x > 0\n    ^", "'if'")]
    [Arguments("total = 0;\nfor k = 1:3\n  if k > 1\n    total = total + k;\n  end\n", 2, ">>> for k = 1:3\n    ^", "'for'")]
    [Arguments("v = [1 2 ...\n     3 4;\nw = 5;\n", 1, ">>> v = [1 2 ...\n        ^", "'['")]
    public async Task ParseError_AtTheEnd_PointsAtWhatWasLeftOpen(string code, int line, string caret, string what)
    {
        var outcome = await _engine.RunAsync(code);

        await Assert.That((outcome.Error!.Identifier, outcome.Status)).IsEqualTo(("", JobState.Failed));
        await Assert.That(outcome.Error.Message).Contains($"line {line}");
        await Assert.That(outcome.Error.Message).Contains(caret);
        await Assert.That(outcome.Error.Message).Contains(what);
    }

    [Test]
    public async Task MultiLineCode_RunsInTheBaseWorkspace_AndPrintsAsBefore()
    {
        var first = await _engine.RunAsync("a = 1\nb = a + 1;\nfprintf('%d\\n', b)\n");
        var second = await _engine.RunAsync("disp(a + b)");

        await Assert.That((first.Status, first.Output)).IsEqualTo((JobState.Completed, "a = 1\n2\n"));
        await Assert.That(second.Output).IsEqualTo("3\n");
    }

    [Test]
    public async Task Warning_InMultiLineCode_PrintsNoEngineInternals()
    {
        var outcome = await _engine.RunAsync("x = 1;\nwarning('demo:careful', 'careful');\n");

        await Assert.That((outcome.Status, outcome.Output)).IsEqualTo((JobState.Completed, "warning: careful\n"));
    }

    [Test]
    public async Task ResultText_NamesTheLine()
    {
        var outcome = await _engine.RunAsync("a = 1;\n\nb = a(3);\n");

        var text = (await Assert.That(_engine.Results.Execution(outcome).Content[0]).IsTypeOf<ModelContextProtocol.Protocol.TextContentBlock>())!.Text;
        await Assert.That(text).Contains("in submitted code at line 3, column");
    }
}
