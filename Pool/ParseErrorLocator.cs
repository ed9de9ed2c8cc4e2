using MatlabMcp.Analysis;
using MatlabMcp.Output;
using MatlabMcp.Security;

namespace MatlabMcp.Pool;

/// <summary>
/// Points a parse error of submitted code at what was left open. Octave marks a syntax error inside a line with a
/// caret under that line, but when the code simply ends too early (an <c>if</c> without <c>end</c>, an unclosed
/// bracket or quote) it names only the line after the last one and shows nothing. This finds the construct that was
/// never closed and adds its line with a caret, in Octave's own style.
/// </summary>
internal static class ParseErrorLocator
{
    private const string Caret = ">>> ";

    /// <summary>The error with the unclosed construct added, or the error unchanged when it is not that kind.</summary>
    public static EngineError Explain(string code, EngineError error)
    {
        if (error.Identifier.Length > 0 || !error.Message.StartsWith("parse error", StringComparison.Ordinal) ||
            error.Message.Contains(Caret, StringComparison.Ordinal) || FindUnclosed(code) is not { } open)
            return error;
        var lineText = LineAt(code, open.Token.Start);
        var note = $"{open.What} on line {open.Token.Line} is never closed{open.Hint}";
        var message = $"{error.Message.TrimEnd()}\n\n{note}\n\n{Caret}{lineText}\n{new string(' ', Caret.Length + open.Token.Column - 1)}^";
        return error with { Message = message };
    }

    private readonly record struct Unclosed(Token Token, string What, string Hint);

    /// <summary>The innermost construct still open at the end of the code: a quote, a bracket or a block.</summary>
    private static Unclosed? FindUnclosed(string code)
    {
        // A function without 'end' is legal where every function of the file has none: not an error to point at.
        var open = OpenConstructs.Find(code, MatlabDialect.Octave, out _);
        for (var k = open.Count - 1; k >= 0; k--)
        {
            var construct = open[k];
            if (construct.IsQuote)
                return new Unclosed(construct.Token, construct.What, "");
            if (!construct.IsFunction)
                return new Unclosed(construct.Token, construct.What, $" (no matching '{construct.Closer}')");
        }
        return null;
    }

    private static string LineAt(string code, int offset)
    {
        var start = code.LastIndexOfAny(['\n', '\r'], Math.Max(offset - 1, 0)) is var s and >= 0 && s < offset ? s + 1 : 0;
        var end = code.IndexOfAny(['\n', '\r'], offset);
        return code[start..(end < 0 ? code.Length : end)];
    }
}
