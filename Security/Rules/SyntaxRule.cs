using System.Globalization;

namespace MatlabMcp.Security.Rules;

/// <summary>
/// Text the lexer cannot place refuses the code: an unclosed quote (is it a string or a transpose?), a character
/// neither engine accepts, brackets nested past what is tracked. The engine would refuse it too, so nothing is lost,
/// and a disagreement between this lexer and the engine can never turn into code that was read as text.
/// </summary>
internal sealed class SyntaxRule : IPolicyRule
{
    public void Check(PolicyContext context)
    {
        var lastInvalidLine = 0;
        var reportedDepth = false;
        for (var i = 0; i < context.Count; i++)
        {
            var token = context[i];
            if (token.Kind == TokenKind.Invalid && token.Line != lastInvalidLine)
            {
                lastInvalidLine = token.Line; // one per line: a pasted run of odd characters is one problem
                var c = context.Text(token)[0];
                var hint = c == '#' ? "MATLAB comments start with %" : "remove it; it often comes from pasted text";
                context.Report(PolicyNames.Syntax, "character", token,
                    $"the character {Describe(c)} is not valid MATLAB/Octave code here: {hint}");
            }
            else if (token.Has(TokenFlags.Unterminated))
            {
                context.Report(PolicyNames.Syntax, "quote", token,
                    "this quote is not closed on its line: close the text on the same line (join long text with [a b] " +
                    "or strcat). For the transpose of a value, put the quote right after it, e.g. x'");
            }
            else if (token.Has(TokenFlags.TooDeep) && !reportedDepth)
            {
                reportedDepth = true;
                context.Report(PolicyNames.Syntax, "nesting", token,
                    "brackets are nested more than 64 levels deep: split the expression into smaller steps");
            }
        }
    }

    private static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c)
            ? $"U+{(int)c:X4}"
            : string.Create(CultureInfo.InvariantCulture, $"'{c}' (U+{(int)c:X4})");
}
