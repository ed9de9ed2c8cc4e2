using MatlabMcp.Pool;

namespace MatlabMcp.Tests.Pool;

/// <summary>What was left open when code ended too early, found on the code's tokens.</summary>
public sealed class ParseErrorLocatorTests
{
    private static readonly EngineError EndOfCode = new("", "parse error near line 4 of the submitted code\n\n  syntax error\n\n", []);

    [Theory]
    [InlineData("s = 'abc;\nt = 2;\n", "the quote on line 1 is never closed\n\n>>> s = 'abc;\n        ^")]
    [InlineData("x = a(end);\nif x\n  y = [1, 2];\n", "'if' on line 2 is never closed (no matching 'end')\n\n>>> if x\n    ^")]
    [InlineData("a = 1;\n  b = {1, ...\n  2;\n", "'{' on line 2 is never closed (no matching '}')\n\n>>>   b = {1, ...\n          ^")]
    [InlineData("do\n  k++;\n", "'do' on line 1 is never closed (no matching 'until')")]
    [InlineData("while true % if\n  'end'\n", "'while' on line 1 is never closed")]
    public void Explain_CodeEndingEarly_PointsAtTheOpenConstruct(string code, string expected)
    {
        var explained = ParseErrorLocator.Explain(code, EndOfCode);

        Assert.StartsWith(EndOfCode.Message.TrimEnd(), explained.Message);
        Assert.Contains(expected, explained.Message);
    }

    [Theory]
    [InlineData("x = 1;\nfunction y = f(a)\n  y = a;\n")] // a function without 'end' is legal
    [InlineData("if a\n  b = 1;\nend\n")]
    public void Explain_NothingLeftOpen_KeepsTheError(string code) =>
        Assert.Same(EndOfCode, ParseErrorLocator.Explain(code, EndOfCode));

    [Fact]
    public void Explain_ErrorWithItsOwnCaretOrIdentifier_IsKept()
    {
        var withCaret = EndOfCode with { Message = "parse error near line 2\n\n>>> b = 1 +* 2;\n           ^" };
        var runtime = new EngineError("Octave:undefined-function", "'x' undefined", []);

        Assert.Same(withCaret, ParseErrorLocator.Explain("if a\n", withCaret));
        Assert.Same(runtime, ParseErrorLocator.Explain("if a\n", runtime));
    }
}
