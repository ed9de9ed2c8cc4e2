using MatlabMcp.Security;

namespace MatlabMcp.Analysis;

/// <summary>
/// One function a file defines: its name, where the name is, its output names, and its body as a range of the file's
/// significant tokens (from after the header to its <c>end</c>, or to the next function in a file without ends).
/// </summary>
internal sealed record FunctionDefinition(string Name, Token NameToken, IReadOnlyList<string> Outputs, int Keyword, int BodyStart,
    int BodyEnd, bool Nests);

/// <summary>The code's significant tokens (no comments or continuations) and the functions they define.</summary>
internal sealed class CodeTokens
{
    private static readonly HashSet<string> BlockOpeners =
        ["if", "for", "parfor", "while", "switch", "try", "do", "unwind_protect", "spmd", "classdef"];

    private CodeTokens(string code, List<Token> tokens)
    {
        Code = code;
        Tokens = tokens;
    }

    public string Code { get; }
    public List<Token> Tokens { get; }
    public List<FunctionDefinition> Functions { get; } = [];

    /// <summary>The file is a class definition (its first statement is classdef): its methods may overload built-ins.</summary>
    public bool IsClassdef => Is(First, TokenKind.Keyword, "classdef");

    /// <summary>The first token of the first statement (the line ends of leading comments skipped).</summary>
    private int First => Tokens.FindIndex(t => t.Kind is not (TokenKind.Newline or TokenKind.Semicolon or TokenKind.Comma));

    /// <summary>
    /// The name a class or function file is saved under: the class a classdef defines (after any attributes:
    /// classdef (Sealed) Name), or the first function of a file that starts with one; null for a script.
    /// </summary>
    public string? OwnName
    {
        get
        {
            if (Is(First, TokenKind.Keyword, "function"))
                return Functions.Count > 0 && Functions[0].Keyword == First ? Functions[0].Name : null;
            if (!IsClassdef)
                return null;
            var j = First + 1;
            if (Is(j, TokenKind.OpenParen))
            {
                while (j < Tokens.Count && !Is(j, TokenKind.CloseParen))
                    j++;
                j++;
            }
            return Is(j, TokenKind.Identifier) ? Text(j) : null;
        }
    }

    /// <summary>Where the script part ends: at the first function (the whole file for a script without functions).</summary>
    public int ScriptEnd => Functions.Count > 0 ? Functions[0].Keyword : Tokens.Count;

    public string Text(int index) => Tokens[index].Text(Code).ToString();

    public bool Is(int index, TokenKind kind, string? text = null) =>
        index >= 0 && index < Tokens.Count && Tokens[index].Kind == kind && (text is null || Tokens[index].Text(Code).SequenceEqual(text));

    public static CodeTokens Read(string code, MatlabDialect dialect, bool functionsEnded)
    {
        var tokens = new List<Token>();
        var lexer = new MatlabLexer(code, new LexerOptions(dialect));
        while (lexer.Next(out var token))
            if (!token.IsTrivia)
                tokens.Add(token);
        var read = new CodeTokens(code, tokens);
        read.FindFunctions(functionsEnded);
        return read;
    }

    /// <summary>
    /// Walks the blocks: with ends, a function's body runs to the end that closes it (and a function opened inside
    /// another nests); without, to the next function.
    /// </summary>
    private void FindFunctions(bool functionsEnded)
    {
        var open = new List<int>(); // -1 for a block, else the index of the function in Functions
        var unended = -1;
        for (var i = 0; i < Tokens.Count; i++)
        {
            var token = Tokens[i];
            if (token.Kind != TokenKind.Keyword)
                continue;
            var text = Text(i);
            if (text == "function")
            {
                if (!functionsEnded && unended >= 0)
                {
                    Functions[unended] = Functions[unended] with { BodyEnd = i };
                    open.Clear();
                }
                var nests = functionsEnded && open.Exists(o => o >= 0);
                if (Header(i, nests) is { } definition)
                {
                    Functions.Add(definition);
                    open.Add(Functions.Count - 1);
                    unended = Functions.Count - 1;
                    if (nests)
                        foreach (var outer in open.Where(o => o >= 0 && o != Functions.Count - 1))
                            Functions[outer] = Functions[outer] with { Nests = true };
                }
                else
                    open.Add(-1);
            }
            else if (BlockOpeners.Contains(text))
                open.Add(-1);
            else if ((text == "until" || text.StartsWith("end", StringComparison.Ordinal)) && open.Count > 0)
            {
                var closed = open[^1];
                open.RemoveAt(open.Count - 1);
                if (closed >= 0 && functionsEnded)
                    Functions[closed] = Functions[closed] with { BodyEnd = i };
            }
        }
    }

    /// <summary>function name | function name(args) | function out = name(args) | function [a, b] = name(args).</summary>
    private FunctionDefinition? Header(int at, bool nests)
    {
        var outputs = new List<string>();
        var j = at + 1;
        if (Is(j, TokenKind.OpenBracket))
        {
            for (j++; j < Tokens.Count && !Is(j, TokenKind.CloseBracket); j++)
                if (Is(j, TokenKind.Identifier))
                    outputs.Add(Text(j));
            if (!Is(j + 1, TokenKind.Operator, "="))
                return null;
            j += 2;
        }
        else if (Is(j, TokenKind.Identifier) && Is(j + 1, TokenKind.Operator, "="))
        {
            outputs.Add(Text(j));
            j += 2;
        }
        // get.name and set.name of a classdef property are not names of their own.
        if (!Is(j, TokenKind.Identifier) || Is(j + 1, TokenKind.Dot))
            return null;
        var name = j;
        if (Is(j + 1, TokenKind.OpenParen))
            for (j += 2; j < Tokens.Count && !Is(j, TokenKind.CloseParen); j++)
            {
            }
        return new FunctionDefinition(Text(name), Tokens[name], outputs, at, Math.Min(j + 1, Tokens.Count), Tokens.Count, nests);
    }
}
