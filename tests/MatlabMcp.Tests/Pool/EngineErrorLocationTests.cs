using MatlabMcp.Jobs;
using MatlabMcp.Pool;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>Every error in submitted code names its line (and column where Octave knows it) in that code.</summary>
public sealed class EngineErrorLocationTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Theory]
    [InlineData("a = 1;\nb = 2;\nc = [1 2 3];\n\nd = a + undefined_thing;\n", 5, "Octave:undefined-function")]
    [InlineData("a = [1 2 3];\nb = [1 2];\nc = a + b;\n", 3, "Octave:nonconformant-args")]
    [InlineData("a = [1 2 3];\n\nb = a(5);", 3, "Octave:index-out-of-bounds")]
    [InlineData("for k = 1:3\n  if k == 2\n    error('demo:stop', 'stopped at %d', k);\n  end\nend", 3, "demo:stop")]
    public async Task RuntimeError_InMultiLineCode_CarriesItsLineAndColumn(string code, int line, string identifier)
    {
        var outcome = await _engine.RunAsync(code);

        Assert.Equal(ExecutionStatus.Failed, outcome.Status);
        Assert.Equal(identifier, outcome.Error!.Identifier);
        var frame = Assert.Single(outcome.Error.Stack!);
        Assert.Equal(("submitted code", line), (frame.Name, frame.Line));
        Assert.True(frame.Column > 0, $"column {frame.Column}");
        Assert.DoesNotContain("near line 1,", outcome.Error.Message);
    }

    [Fact]
    public async Task ErrorInAFunction_EndsWithTheLineOfTheSubmittedCodeThatCalledIt()
    {
        var session = await _engine.SessionAsync();
        await File.WriteAllTextAsync(Path.Combine(session.Folder, "located_helper.m"),
            "function located_helper(n)\n  error('demo:bad', 'bad value %d', n);\nend\n");

        var outcome = await _engine.RunAsync("x = 1;\nlocated_helper(x);\n");

        Assert.Equal([("located_helper", 2), ("submitted code", 2)], outcome.Error!.Stack!.Select(f => (f.Name, f.Line)));
    }

    [Fact]
    public async Task ErrorInOneLine_CarriesLineOne()
    {
        var outcome = await _engine.RunAsync("x = [1 2] + [1 2 3];");

        Assert.Equal("Octave:nonconformant-args", outcome.Error!.Identifier);
        Assert.Equal(("submitted code", 1), Assert.Single(outcome.Error.Stack!) is var f ? (f.Name, f.Line) : default);
    }

    [Fact]
    public async Task ParseError_InTheMiddle_ShowsTheLineWithACaret_AndNoEnginePath()
    {
        var outcome = await _engine.RunAsync("a = 1;\nb = 1 +* 2;\nc = 3;\n");

        Assert.Equal(("", ExecutionStatus.Failed), (outcome.Error!.Identifier, outcome.Status));
        Assert.Contains("parse error near line 2 of the submitted code", outcome.Error.Message);
        Assert.Contains(">>> b = 1 +* 2;\n           ^", outcome.Error.Message);
        Assert.DoesNotContain("/", outcome.Error.Message);
    }

    [Theory]
    [InlineData("x = 1;\nif x > 0\n  y = 2;\n", 2, ">>> if x > 0\n    ^", "'if'")]
    [InlineData("total = 0;\nfor k = 1:3\n  if k > 1\n    total = total + k;\n  end\n", 2, ">>> for k = 1:3\n    ^", "'for'")]
    [InlineData("v = [1 2 ...\n     3 4;\nw = 5;\n", 1, ">>> v = [1 2 ...\n        ^", "'['")]
    public async Task ParseError_AtTheEnd_PointsAtWhatWasLeftOpen(string code, int line, string caret, string what)
    {
        var outcome = await _engine.RunAsync(code);

        Assert.Equal(("", ExecutionStatus.Failed), (outcome.Error!.Identifier, outcome.Status));
        Assert.Contains($"line {line}", outcome.Error.Message);
        Assert.Contains(caret, outcome.Error.Message);
        Assert.Contains(what, outcome.Error.Message);
    }

    [Fact]
    public async Task MultiLineCode_RunsInTheBaseWorkspace_AndPrintsAsBefore()
    {
        var first = await _engine.RunAsync("a = 1\nb = a + 1;\nfprintf('%d\\n', b)\n");
        var second = await _engine.RunAsync("disp(a + b)");

        Assert.Equal((ExecutionStatus.Completed, "a = 1\n2\n"), (first.Status, first.Output));
        Assert.Equal("3\n", second.Output);
    }

    [Fact]
    public async Task Warning_InMultiLineCode_PrintsNoEngineInternals()
    {
        var outcome = await _engine.RunAsync("x = 1;\nwarning('demo:careful', 'careful');\n");

        Assert.Equal((ExecutionStatus.Completed, "warning: careful\n"), (outcome.Status, outcome.Output));
    }

    [Fact]
    public async Task ResultText_NamesTheLine()
    {
        var outcome = await _engine.RunAsync("a = 1;\n\nb = a(3);\n");

        var text = Assert.IsType<ModelContextProtocol.Protocol.TextContentBlock>(_engine.Results.Execution(outcome).Content[0]).Text;
        Assert.Contains("in submitted code at line 3, column", text);
    }
}
