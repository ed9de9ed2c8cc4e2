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
        var open = new List<(Token Token, string Text)>();
        var lexer = new MatlabLexer(code, new LexerOptions(MatlabDialect.Octave));
        while (lexer.Next(out var token))
        {
            if (token.Has(TokenFlags.Unterminated))
                return new Unclosed(token, "the quote", "");
            var text = token.Text(code).ToString();
            switch (token.Kind)
            {
                case TokenKind.OpenParen or TokenKind.OpenBracket or TokenKind.OpenBrace:
                case TokenKind.Keyword when BlockOpeners.Contains(text):
                    open.Add((token, text));
                    break;
                case TokenKind.CloseParen or TokenKind.CloseBracket or TokenKind.CloseBrace:
                    PopLast(open, t => t.Token.Kind is TokenKind.OpenParen or TokenKind.OpenBracket or TokenKind.OpenBrace);
                    break;
                case TokenKind.Keyword when text == "until" || text.StartsWith("end", StringComparison.Ordinal):
                    PopLast(open, t => t.Token.Kind == TokenKind.Keyword);
                    break;
            }
        }
        // A function without 'end' is legal where every function of the file has none: not an error to point at.
        for (var k = open.Count - 1; k >= 0; k--)
        {
            var (token, text) = open[k];
            if (token.Kind != TokenKind.Keyword)
                return new Unclosed(token, $"'{text}'", $" (no matching '{Closer(text)}')");
            if (text != "function")
                return new Unclosed(token, $"'{text}'", text == "do" ? " (no matching 'until')" : " (no matching 'end')");
        }
        return null;
    }

    private static readonly HashSet<string> BlockOpeners =
        ["if", "for", "parfor", "while", "switch", "try", "do", "unwind_protect", "spmd", "function", "classdef"];

    private static string Closer(string opener) => opener switch { "(" => ")", "[" => "]", _ => "}" };

    private static void PopLast(List<(Token Token, string Text)> open, Func<(Token Token, string Text), bool> match)
    {
        for (var k = open.Count - 1; k >= 0; k--)
            if (match(open[k]))
            {
                open.RemoveRange(k, open.Count - k);
                return;
            }
    }

    private static string LineAt(string code, int offset)
    {
        var start = code.LastIndexOfAny(['\n', '\r'], Math.Max(offset - 1, 0)) is var s and >= 0 && s < offset ? s + 1 : 0;
        var end = code.IndexOfAny(['\n', '\r'], offset);
        return code[start..(end < 0 ? code.Length : end)];
    }
}
