using MatlabMcp.Output;
using MatlabMcp.Pool;

namespace MatlabMcp.Tests.Pool;

/// <summary>What was left open when code ended too early, found on the code's tokens.</summary>
public sealed class ParseErrorLocatorTests
{
    private static readonly EngineError EndOfCode = new("", "parse error near line 4 of the submitted code\n\n  syntax error\n\n", []);

    [Test]
    [Arguments("s = 'abc;\nt = 2;\n", "the quote on line 1 is never closed\n\n>>> s = 'abc;\n        ^")]
    [Arguments("x = a(end);\nif x\n  y = [1, 2];\n", "'if' on line 2 is never closed (no matching 'end')\n\n>>> if x\n    ^")]
    [Arguments("a = 1;\n  b = {1, ...\n  2;\n", "'{' on line 2 is never closed (no matching '}')\n\n>>>   b = {1, ...\n          ^")]
    [Arguments("do\n  k++;\n", "'do' on line 1 is never closed (no matching 'until')")]
    [Arguments("while true % if\n  'end'\n", "'while' on line 1 is never closed")]
    public async Task Explain_CodeEndingEarly_PointsAtTheOpenConstruct(string code, string expected)
    {
        var explained = ParseErrorLocator.Explain(code, EndOfCode);

        await Assert.That(explained.Message).StartsWith(EndOfCode.Message.TrimEnd());
        await Assert.That(explained.Message).Contains(expected);
    }

    [Test]
    [Arguments("x = 1;\nfunction y = f(a)\n  y = a;\n")] // a function without 'end' is legal
    [Arguments("if a\n  b = 1;\nend\n")]
    public async Task Explain_NothingLeftOpen_KeepsTheError(string code) =>
        await Assert.That(ParseErrorLocator.Explain(code, EndOfCode)).IsSameReferenceAs(EndOfCode);

    [Test]
    public async Task Explain_ErrorWithItsOwnCaretOrIdentifier_IsKept()
    {
        var withCaret = EndOfCode with { Message = "parse error near line 2\n\n>>> b = 1 +* 2;\n           ^" };
        var runtime = new EngineError("Octave:undefined-function", "'x' undefined", []);

        await Assert.That(ParseErrorLocator.Explain("if a\n", withCaret)).IsSameReferenceAs(withCaret);
        await Assert.That(ParseErrorLocator.Explain("if a\n", runtime)).IsSameReferenceAs(runtime);
    }
}
