using System.Text.RegularExpressions;
using MatlabMcp.Output;
using MatlabMcp.Security;

namespace MatlabMcp.Analysis;

/// <summary>What the lint found, and the functions the code defines (for the engine to say which shadow a built-in).</summary>
internal sealed record LintResult(IReadOnlyList<CodeIssue> Issues, IReadOnlyList<FunctionDefinition> Functions, bool IsClassdef,
    string? OwnName);

/// <summary>
/// check_code's own lint: few findings, each one right. Read from tokens, never run.
/// <list type="number">
/// <item>Constructs left open where the code ends (a block without end, a bracket, a quote), at their opener.</item>
/// <item>In a function (not one that nests functions or names variables as text: eval, load, save, exist, ...), a
/// variable assigned and never used anywhere in it.</item>
/// <item>In a script's top level, a value overwritten before it is used, when nothing between the two assignments is
/// control flow. A script's last values are its results in the workspace, so "never used later" is not a problem there.</item>
/// </list>
/// Functions shadowing a built-in need the engine's word on what is built in: <see cref="Shadowing"/> makes those.
/// </summary>
internal static partial class CodeLint
{
    public const string UnterminatedBlock = "unterminated-block";
    public const string UnclosedBracket = "unclosed-bracket";
    public const string UnclosedQuote = "unclosed-quote";
    public const string UnusedVariable = "unused-variable";
    public const string OverwrittenValue = "overwritten-value";
    public const string ShadowsBuiltin = "shadows-builtin";

    /// <summary>Names that read or write variables by their name as text: where one appears, usage cannot be seen.</summary>
    private static readonly HashSet<string> NamesAsText =
        ["eval", "evalin", "evalc", "assignin", "load", "save", "exist", "who", "whos", "clear", "clearvars", "inputname",
         "input", "keyboard"];

    private static readonly HashSet<string> ControlFlow =
        ["if", "elseif", "else", "for", "parfor", "while", "switch", "case", "otherwise", "try", "catch", "do", "until",
         "unwind_protect", "unwind_protect_cleanup", "spmd", "function", "break", "continue", "return"];

    public static LintResult Check(string code, MatlabDialect dialect)
    {
        var issues = new List<CodeIssue>();
        var open = OpenConstructs.Find(code, dialect, out var functionsEnded);
        var tokens = CodeTokens.Read(code, dialect, functionsEnded);
        foreach (var construct in open)
            if (Unclosed(construct, functionsEnded, tokens) is { } issue)
                issues.Add(issue);
        if (!tokens.IsClassdef)
        {
            foreach (var function in tokens.Functions.Where(f => !f.Nests))
                UnusedInFunction(tokens, function, issues);
            OverwrittenInScript(tokens, issues);
        }
        return new LintResult(issues, tokens.Functions, tokens.IsClassdef, tokens.OwnName);
    }

    /// <summary>Issues for the functions the engine named as built-ins (or library functions) of the same name.</summary>
    public static IEnumerable<CodeIssue> Shadowing(IEnumerable<FunctionDefinition> functions, IReadOnlyCollection<string> builtins) =>
        functions.Where(f => builtins.Contains(f.Name)).Select(f => Lint(f.NameToken, IssueSeverity.Warning, ShadowsBuiltin,
            $"function '{f.Name}' has the name of a built-in or library function: in this file (and, for a file on the " +
            $"path, everywhere) calls to {f.Name} reach this one instead. Rename it unless that is the intent."));

    private static CodeIssue? Unclosed(OpenConstruct construct, bool functionsEnded, CodeTokens tokens)
    {
        var where = construct.Token;
        if (construct.IsQuote)
            return Lint(where, IssueSeverity.Error, UnclosedQuote, "this quote is never closed on its line: close the text on the same line");
        if (construct.IsBracket)
            return Lint(where, IssueSeverity.Error, UnclosedBracket, $"{construct.What} is never closed (no matching '{construct.Closer}')");
        if (!construct.IsFunction)
            return Lint(where, IssueSeverity.Error, UnterminatedBlock,
                $"{construct.What} is never closed (no matching '{construct.Closer}')");
        if (!functionsEnded)
            return null; // no function of the file ends with end: legal
        var name = tokens.Functions.FirstOrDefault(f => f.Keyword < tokens.Tokens.Count && tokens.Tokens[f.Keyword].Start == where.Start)?.Name;
        return Lint(where, IssueSeverity.Error, UnterminatedBlock,
            $"function{(name is null ? "" : $" '{name}'")} has no matching 'end' while other functions of this file end with " +
            "one: end every function with 'end', or none");
    }

    private static CodeIssue Lint(Token at, IssueSeverity severity, string id, string message) =>
        new(at.Line, at.Column, severity, message, id, IssueSource.Lint);

    /// <summary>Variables a function assigns and never reads (its outputs excepted).</summary>
    private static void UnusedInFunction(CodeTokens code, FunctionDefinition function, List<CodeIssue> issues)
    {
        var (start, end) = (function.BodyStart, Math.Min(function.BodyEnd, code.Tokens.Count));
        var first = new Dictionary<string, Token>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = start; i < end; i++)
        {
            if (code.Is(i, TokenKind.CommandArgument))
            {
                used.UnionWith(WordsIn(code.Text(i)));
                continue;
            }
            if (!code.Is(i, TokenKind.Identifier) || code.Is(i - 1, TokenKind.Dot))
                continue;
            var name = code.Text(i);
            if (NamesAsText.Contains(name))
                return;
            if (IsAssigned(code, i))
                first.TryAdd(name, code.Tokens[i]);
            else
                used.Add(name);
        }
        foreach (var (name, at) in first.OrderBy(p => p.Value.Start))
            if (!used.Contains(name) && !function.Outputs.Contains(name) && name != "ans")
                issues.Add(Lint(at, IssueSeverity.Warning, UnusedVariable,
                    $"'{name}' is assigned but never used in function '{function.Name}': remove it, or use it"));
    }

    /// <summary>
    /// A value assigned at the script's top level and assigned again before anything reads it. Any control flow or
    /// name-as-text call between the two, and the pair is not judged.
    /// </summary>
    private static void OverwrittenInScript(CodeTokens code, List<CodeIssue> issues)
    {
        var end = code.ScriptEnd;
        for (var i = 0; i < end; i++)
            if (code.Is(i, TokenKind.Identifier) && NamesAsText.Contains(code.Text(i)))
                return;
        var pending = new Dictionary<string, Token>(StringComparer.Ordinal);
        // x = x + 1 reads the old x: a new value counts from the end of its statement.
        var assigned = new List<(string Name, Token At, int StatementEnd)>();
        for (var i = 0; i < end; i++)
        {
            for (var k = assigned.Count - 1; k >= 0; k--)
                if (assigned[k].StatementEnd <= i)
                {
                    pending[assigned[k].Name] = assigned[k].At;
                    assigned.RemoveAt(k);
                }
            if (code.Is(i, TokenKind.Keyword))
            {
                if (ControlFlow.Contains(code.Text(i)) || code.Text(i).StartsWith("end", StringComparison.Ordinal))
                {
                    pending.Clear();
                    assigned.Clear();
                }
                continue;
            }
            if (code.Is(i, TokenKind.CommandArgument))
            {
                foreach (var word in WordsIn(code.Text(i)))
                    pending.Remove(word);
                continue;
            }
            if (!code.Is(i, TokenKind.Identifier) || code.Is(i - 1, TokenKind.Dot))
                continue;
            var name = code.Text(i);
            if (!IsAssigned(code, i))
            {
                pending.Remove(name);
                continue;
            }
            var statementEnd = i + 1;
            while (statementEnd < end && !code.Tokens[statementEnd].Has(TokenFlags.StatementStart))
                statementEnd++;
            var readsItself = false;
            for (var k = i + 1; k < statementEnd; k++)
                readsItself |= code.Is(k, TokenKind.Identifier, name) && !code.Is(k - 1, TokenKind.Dot);
            if (!readsItself && pending.TryGetValue(name, out var earlier))
                issues.Add(Lint(earlier, IssueSeverity.Warning, OverwrittenValue,
                    $"the value assigned to '{name}' here is overwritten on line {code.Tokens[i].Line} before anything uses it"));
            pending.Remove(name);
            // Only whole statements x = ... are judged: [a, b] = f() may read a name through f.
            if (code.Tokens[i].Has(TokenFlags.StatementStart))
                assigned.Add((name, code.Tokens[i], statementEnd));
        }
    }

    /// <summary>
    /// The names in a command-syntax argument. The lexer reads Octave's <c>T += w * E</c> as a command (as Octave does
    /// for a name it does not know as a variable), but where T is a variable it is an expression that reads E.
    /// </summary>
    private static IEnumerable<string> WordsIn(string argument) =>
        Words().Matches(argument).Select(m => m.Value);

    [GeneratedRegex("[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Words();

    /// <summary>
    /// The name at <paramref name="i"/> is assigned a whole new value: <c>x = ...</c> at a statement start, or a bare
    /// name in the brackets of <c>[a, b] = ...</c>. <c>x(2) = ...</c> and <c>x.f = ...</c> change x, so they read it.
    /// </summary>
    private static bool IsAssigned(CodeTokens code, int i)
    {
        if (code.Tokens[i].Has(TokenFlags.StatementStart))
            return code.Is(i + 1, TokenKind.Operator, "=");
        if (!(code.Is(i - 1, TokenKind.OpenBracket) || code.Is(i - 1, TokenKind.Comma) || code.Is(i - 1, TokenKind.Identifier)) ||
            !(code.Is(i + 1, TokenKind.CloseBracket) || code.Is(i + 1, TokenKind.Comma) || code.Is(i + 1, TokenKind.Identifier)))
            return false;
        // Walk back to the statement's opening bracket and forward to its closer, which must be followed by '='.
        var open = i;
        while (open >= 0 && !code.Is(open, TokenKind.OpenBracket))
        {
            if (!(code.Is(open, TokenKind.Identifier) || code.Is(open, TokenKind.Comma) || code.Is(open, TokenKind.Operator, "~")))
                return false;
            open--;
        }
        if (open < 0 || !code.Tokens[open].Has(TokenFlags.StatementStart))
            return false;
        var close = i;
        while (close < code.Tokens.Count && !code.Is(close, TokenKind.CloseBracket))
        {
            if (!(code.Is(close, TokenKind.Identifier) || code.Is(close, TokenKind.Comma) || code.Is(close, TokenKind.Operator, "~")))
                return false;
            close++;
        }
        return code.Is(close + 1, TokenKind.Operator, "=");
    }
}
