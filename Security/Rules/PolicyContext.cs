using System.Buffers;
using MatlabMcp.Output;

namespace MatlabMcp.Security.Rules;

/// <summary>One check of the policy. Rules append to the shared list so the agent sees every problem at once.</summary>
internal interface IPolicyRule
{
    void Check(PolicyContext context);
}

/// <summary>Where nested code came from: problems inside a string are reported at the string, saying whose it is.</summary>
internal sealed record PolicyAnchor(int Line, int Column, string Where);

/// <summary>
/// The significant tokens of one piece of code, with the navigation every rule needs. The token array is pooled
/// and owned by <see cref="CodePolicy.Inspect"/>: a context never outlives that call.
/// </summary>
internal sealed class PolicyContext(CodePolicy policy, string source, Token[] tokens, int count, int depth, PolicyAnchor? anchor,
    List<PolicyViolation> violations)
{
    private int[]? _match;
    private VariableFlow? _flow;

    public CodePolicy Policy => policy;
    public int Count => count;

    public Token this[int index] => tokens[index];

    /// <summary>What the code visibly assigns to its variables; built on first use, since few snippets need it.</summary>
    public VariableFlow Flow => _flow ??= new VariableFlow(this);

    public ReadOnlySpan<char> Text(Token token) => token.Text(source);

    public string Value(Token literal) => Literals.Value(source, literal, policy.Dialect);

    public bool Is(int index, TokenKind kind) => index >= 0 && index < count && tokens[index].Kind == kind;

    public bool IsOperator(int index, string op) => Is(index, TokenKind.Operator) && Text(tokens[index]).SequenceEqual(op);

    /// <summary>A name after '.' that follows a value is a field or method (obj.run), never the global function.</summary>
    public bool IsFieldName(int index) =>
        Is(index - 1, TokenKind.Dot) && index >= 2 && tokens[index - 2].Kind is TokenKind.Identifier or TokenKind.Number
            or TokenKind.CharLiteral or TokenKind.StringLiteral or TokenKind.CloseParen or TokenKind.CloseBracket
            or TokenKind.CloseBrace or TokenKind.Transpose;

    /// <summary>A name that is not a field, i.e. one that can call a function.</summary>
    public bool IsFreeName(int index) => Is(index, TokenKind.Identifier) && !IsFieldName(index);

    /// <summary>py.os.popen as its segments, starting at the name at <paramref name="index"/>.</summary>
    public List<string> DottedPath(int index)
    {
        var path = new List<string> { Text(tokens[index]).ToString() };
        for (var i = index + 1; i + 1 < count && path.Count < 8 && tokens[i].Kind == TokenKind.Dot
             && tokens[i + 1].Kind == TokenKind.Identifier; i += 2)
            path.Add(Text(tokens[i + 1]).ToString());
        return path;
    }

    /// <summary>The index of the bracket closing the one at <paramref name="open"/>, or <see cref="Count"/> if none.</summary>
    public int MatchOf(int open)
    {
        _match ??= ComputeMatches();
        return _match[open];
    }

    private int[] ComputeMatches()
    {
        var match = ArrayPool<int>.Shared.Rent(count);
        var stack = ArrayPool<int>.Shared.Rent(count);
        var depth = 0;
        for (var i = 0; i < count; i++)
        {
            match[i] = count;
            switch (tokens[i].Kind)
            {
                case TokenKind.OpenParen or TokenKind.OpenBracket or TokenKind.OpenBrace:
                    stack[depth++] = i;
                    break;
                case TokenKind.CloseParen or TokenKind.CloseBracket or TokenKind.CloseBrace when depth > 0:
                    match[stack[--depth]] = i;
                    break;
            }
        }
        ArrayPool<int>.Shared.Return(stack);
        return match;
    }

    /// <summary>Gives pooled arrays back; called once the rules are done with this context.</summary>
    public void Release()
    {
        if (_match is not null)
            ArrayPool<int>.Shared.Return(_match);
        _match = null;
        _flow = null;
    }

    public void Report(string policyName, string subject, Token at, string message)
    {
        if (anchor is null)
            violations.Add(new PolicyViolation(policyName, subject, at.Line, at.Column, message));
        else
            violations.Add(new PolicyViolation(policyName, subject, anchor.Line, anchor.Column, $"{message} (in {anchor.Where})"));
    }

    /// <summary>Checks the text of a string that the engine would run as code or resolve as a function name.</summary>
    public void InspectString(string code, Token literal, string where)
    {
        if (depth + 1 > CodePolicy.MaxStringDepth)
        {
            Report(PolicyNames.DynamicCode, "nested code", literal,
                $"code strings are nested more than {CodePolicy.MaxStringDepth} levels deep, so they cannot be checked: write the code directly");
            return;
        }
        policy.Inspect(code, 0, code.Length, 1, 0, new LexerOptions(policy.Dialect), depth + 1,
            anchor ?? new PolicyAnchor(literal.Line, literal.Column, where), reread: false, violations);
    }

    /// <summary>Reads a command-syntax statement again as an expression, as MATLAB does when its name is a variable.</summary>
    public void InspectAsExpression(Token first, int end) =>
        policy.Inspect(source, first.Start, end, first.Line, first.Start - (first.Column - 1),
            new LexerOptions(policy.Dialect, CommandSyntax: false), depth, anchor, reread: true, violations);
}
