using MatlabMcp.Security;

namespace MatlabMcp.Analysis;

/// <summary>A construct still open where the code ends: a quote, a bracket or a block keyword, with its closer.</summary>
/// <param name="What">How a message names it: <c>the quote</c>, <c>'['</c>, <c>'if'</c>.</param>
/// <param name="Closer">What would close it (<c>end</c>, <c>until</c>, <c>]</c>), empty for a quote.</param>
internal readonly record struct OpenConstruct(Token Token, string Text, string What, string Closer)
{
    public bool IsQuote => Closer.Length == 0;
    public bool IsBracket => Token.Kind is TokenKind.OpenParen or TokenKind.OpenBracket or TokenKind.OpenBrace;
    public bool IsFunction => Text == "function";
}

/// <summary>
/// What code leaves open at its end, read from its tokens: Octave names only the line after the last when code ends
/// too early, so both the parse error's explanation (Pool/ParseErrorLocator) and check_code's lint point at the opener.
/// </summary>
internal static class OpenConstructs
{
    private static readonly HashSet<string> BlockOpeners =
        ["if", "for", "parfor", "while", "switch", "try", "do", "unwind_protect", "spmd", "function", "classdef"];

    /// <summary>Blocks of a classdef, which the lexer reads as names (they are keywords only there).</summary>
    private static readonly HashSet<string> ClassdefBlocks = ["properties", "methods", "events", "enumeration"];

    /// <summary>
    /// The constructs open at the end of <paramref name="code"/>, outermost first; an unclosed quote ends the scan (the
    /// rest of its line is text). <paramref name="functionsEnded"/> says whether any function was closed by an
    /// <c>end</c>: a function without one is legal only where no function of the file has one.
    /// </summary>
    public static List<OpenConstruct> Find(string code, MatlabDialect dialect, out bool functionsEnded)
    {
        var open = new List<OpenConstruct>();
        functionsEnded = false;
        var lexer = new MatlabLexer(code, new LexerOptions(dialect));
        var previous = default(Token);
        var pendingClassdefBlock = -1; // index in open of a classdef block word, kept only if its line says so
        while (lexer.Next(out var token))
        {
            if (token.IsTrivia)
                continue;
            if (token.Has(TokenFlags.Unterminated))
            {
                open.Add(new OpenConstruct(token, "'", "the quote", ""));
                return open;
            }
            if (pendingClassdefBlock >= 0 && open.Count > pendingClassdefBlock)
            {
                // 'methods' opens a block when its statement is the word alone or with attributes: methods (Static)
                if (token.Kind is not (TokenKind.Newline or TokenKind.OpenParen or TokenKind.Semicolon or TokenKind.Comma))
                    open.RemoveAt(pendingClassdefBlock);
                pendingClassdefBlock = -1;
            }
            var text = token.Text(code).ToString();
            switch (token.Kind)
            {
                case TokenKind.OpenParen or TokenKind.OpenBracket or TokenKind.OpenBrace:
                    open.Add(new OpenConstruct(token, text, $"'{text}'", Closer(text)));
                    break;
                case TokenKind.Keyword when BlockOpeners.Contains(text):
                    open.Add(new OpenConstruct(token, text, $"'{text}'", text == "do" ? "until" : "end"));
                    break;
                case TokenKind.Identifier when token.Has(TokenFlags.StatementStart) && ClassdefBlocks.Contains(text) &&
                                               previous.Kind != TokenKind.Dot && open.Exists(o => o.Text == "classdef"):
                    pendingClassdefBlock = open.Count;
                    open.Add(new OpenConstruct(token, text, $"'{text}'", "end"));
                    break;
                case TokenKind.CloseParen or TokenKind.CloseBracket or TokenKind.CloseBrace:
                    PopLast(open, o => o.IsBracket);
                    break;
                case TokenKind.Keyword when text == "until" || text.StartsWith("end", StringComparison.Ordinal):
                    if (PopLast(open, o => !o.IsBracket) is { IsFunction: true })
                        functionsEnded = true;
                    break;
            }
            previous = token;
        }
        return open;
    }

    private static string Closer(string opener) => opener switch { "(" => ")", "[" => "]", _ => "}" };

    private static OpenConstruct? PopLast(List<OpenConstruct> open, Predicate<OpenConstruct> match)
    {
        for (var k = open.Count - 1; k >= 0; k--)
            if (match(open[k]))
            {
                var closed = open[k];
                open.RemoveRange(k, open.Count - k);
                return closed;
            }
        return null;
    }
}
