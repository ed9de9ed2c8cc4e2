using System.Buffers;
using System.Collections.Frozen;
using MatlabMcp.Configuration;
using MatlabMcp.Output;
using MatlabMcp.Security.Rules;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Security;

/// <summary>
/// Checks MATLAB/Octave code against <c>code_policy</c> before it reaches an engine. It reads tokens, not text:
/// blocked names inside strings and comments pass, while handles, command syntax, a '!' after a comma, names
/// passed as strings to feval/cellfun/timer callbacks and code inside callback strings are all found.
/// This is the first layer, not the boundary: code computed at run time is refused where it names a function,
/// but cannot be seen in general. The engine sandbox is what contains it.
/// </summary>
internal sealed class CodePolicy
{
    /// <summary>Code inside a string inside a string ... is checked this deep, and refused beyond.</summary>
    internal const int MaxStringDepth = 4;

    private readonly IPolicyRule[] _rules =
    [
        new SyntaxRule(),
        new BlockedNameRule(),
        new ShellEscapeRule(),
        new CommandExpressionRule(),
        new FunctionArgumentRule(),
        new DispatcherHandleRule(),
        new CallbackRule(),
        new DynamicRegexRule(),
        new PathRule(),
        new ShellArgumentRule(),
        new SubcommandRule(),
    ];

    /// <summary>A command read again as an expression is a hypothesis ("if its name were a variable"): only calls
    /// matter there. Text that fails to lex, or cd without a folder, in that reading is not what runs.</summary>
    private readonly IPolicyRule[] _rereadRules =
        [new BlockedNameRule(), new FunctionArgumentRule(), new DispatcherHandleRule(), new CallbackRule(), new DynamicRegexRule()];

    public CodePolicy(CodePolicyOptions options, MatlabDialect dialect)
    {
        Enabled = options.Enabled;
        Dialect = dialect;
        Blocked = new BlockList(options.EffectiveBlockedFunctions, options.AllowedFunctions);
        Confined = options.ConfinedFunctions.ToFrozenSet(StringComparer.Ordinal);
        ConfinedLookup = Confined.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The policy as configured, reading code in the engine's dialect.</summary>
    public CodePolicy(IOptions<CodePolicyOptions> options, IOptions<EngineOptions> engine) : this(options.Value, DialectOf(engine.Value))
    {
    }

    public static MatlabDialect DialectOf(EngineOptions engine) =>
        engine.Kind == EngineKind.Matlab ? MatlabDialect.Matlab : MatlabDialect.Octave;

    public bool Enabled { get; }
    public MatlabDialect Dialect { get; }
    internal BlockList Blocked { get; }
    internal FrozenSet<string> Confined { get; }
    internal FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ConfinedLookup { get; }

    public CodePolicyResult Check(string code)
    {
        if (!Enabled)
            return CodePolicyResult.NotEnforced;
        var violations = new List<PolicyViolation>();
        Inspect(code, 0, code.Length, 1, 0, new LexerOptions(Dialect), depth: 0, anchor: null, reread: false, violations);
        if (violations.Count == 0)
            return new CodePolicyResult([]);
        // Re-reading a command as an expression may find the same name twice: report each place once.
        var distinct = violations.DistinctBy(v => (v.Policy, v.Subject, v.Line, v.Column))
            .OrderBy(v => v.Line).ThenBy(v => v.Column).ToList();
        return new CodePolicyResult(distinct);
    }

    /// <summary>Lexes <c>source[start..end]</c> and runs every rule over its tokens.</summary>
    internal void Inspect(string source, int start, int end, int line, int lineStart, LexerOptions options, int depth,
        PolicyAnchor? anchor, bool reread, List<PolicyViolation> violations)
    {
        // Pooled: a 10 KB file has ~3,000 tokens, and a fresh list of them lands on the large object heap.
        var tokens = ArrayPool<Token>.Shared.Rent(Math.Max(64, (end - start) / 3));
        var count = 0;
        var context = default(PolicyContext);
        try
        {
            var lexer = new MatlabLexer(source, options, start, end, line, lineStart);
            while (lexer.Next(out var token))
            {
                if (token.IsTrivia)
                    continue;
                if (count == tokens.Length)
                {
                    var larger = ArrayPool<Token>.Shared.Rent(count * 2);
                    tokens.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<Token>.Shared.Return(tokens);
                    tokens = larger;
                }
                tokens[count++] = token;
            }
            context = new PolicyContext(this, source, tokens, count, depth, anchor, violations);
            foreach (var rule in reread ? _rereadRules : _rules)
                rule.Check(context);
        }
        finally
        {
            context?.Release();
            ArrayPool<Token>.Shared.Return(tokens);
        }
    }
}
