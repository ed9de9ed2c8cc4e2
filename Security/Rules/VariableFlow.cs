namespace MatlabMcp.Security.Rules;

/// <summary>
/// Whether a variable in a function slot (cellfun(f, ...), arrayfun(s.f, ...), cellfun(c{k}, ...)) provably holds a
/// function handle or an allowed literal name, from the code alone. A variable can carry a name in from data (an earlier
/// call, load, a parameter), so it passes only when:
/// <list type="number">
/// <item>a clean assignment D (a handle, an allowed literal name, a cell of those, or an empty container) to the
/// variable or a prefix of its path stands before the use, in the same function, in a block that encloses the use
/// (an if-branch does not enclose its else-branch). Every path to the use then passes D, and any path from a
/// statement written before D to the use passes D again;</item>
/// <item>every assignment that may change the value and can run between D and the use is clean too: one written
/// between them, or one written after the use inside a loop that holds the use but not D. The same for statements
/// that assign variables out of sight (load without an output, eval, clear, run);</item>
/// <item>nothing anywhere assigns it from another workspace unclean (assignin, evalin), and it is not a parameter
/// of an anonymous function around the use, nor <c>ans</c>, which every expression statement sets.</item>
/// </list>
/// Functions and scripts in files are code the policy never sees, so calls to them are not followed.
/// </summary>
internal sealed partial class VariableFlow
{
    private readonly PolicyContext _context;
    private readonly int[] _blockOf;
    private readonly int[] _statementOf;
    private readonly List<int> _parent = [-1];
    private readonly List<int> _scope = [0];
    private readonly List<bool> _loop = [false];
    private readonly List<Assignment> _assignments = [];
    private readonly List<Taint> _taints = [];
    private readonly List<Anonymous> _anonymous = [];
    private readonly HashSet<string> _globals = new(StringComparer.Ordinal);

    /// <summary>Base name, static field path up to the first index or dynamic field, and whether anything follows it.</summary>
    private sealed record Assignment(string Name, string[] Path, bool Indexed, bool Clean, int Start, int End, int Block,
        bool Everywhere)
    {
        public bool Covers(string[] path) => !Indexed && Path.Length <= path.Length && Path.AsSpan().SequenceEqual(path.AsSpan(0, Path.Length));

        /// <summary>Fields that part ways (s.g against s.f) cannot touch each other; anything else may.</summary>
        public bool Affects(string[] path)
        {
            for (var k = 0; k < Math.Min(Path.Length, path.Length); k++)
                if (Path[k] != path[k])
                    return false;
            return true;
        }
    }

    /// <summary>A statement that may assign any variable: in its function from <see cref="Position"/> on, or everywhere.</summary>
    private readonly record struct Taint(int Position, int Block, bool Everywhere);

    private sealed record Anonymous(int Start, int End, HashSet<string> Parameters);

    public VariableFlow(PolicyContext context)
    {
        _context = context;
        _blockOf = new int[context.Count];
        _statementOf = new int[context.Count];
        Build();
    }

    /// <summary>Whether the Name-shaped argument (f, s.f, c{k}) provably holds a handle or an allowed name here.</summary>
    public bool HoldsHandle(Argument argument)
    {
        var c = _context;
        var use = argument.First;
        var name = c.Text(c[use]).ToString();
        if (name == "ans" || _globals.Contains(name))
            return false; // every expression statement sets ans; a global is shared with every function that declares it
        var path = new List<string>();
        for (var i = use + 1; i + 1 < argument.End && c.Is(i, TokenKind.Dot) && c.Is(i + 1, TokenKind.Identifier); i += 2)
            path.Add(c.Text(c[i + 1]).ToString());
        var fields = path.ToArray();
        if (_anonymous.Any(a => a.Start <= use && use < a.End && a.Parameters.Contains(name)))
            return false;
        var block = _blockOf[use];
        var scope = _scope[block];
        var statement = _statementOf[use];
        Assignment? definite = null;
        foreach (var a in _assignments)
            if (!a.Everywhere && a.Name == name && a.Clean && a.Covers(fields) && a.End <= statement
                && _scope[a.Block] == scope && Encloses(a.Block, block) && (definite is null || a.Start > definite.Start))
                definite = a;
        if (definite is null)
            return false;
        foreach (var a in _assignments)
        {
            if (a.Name != name || a.Clean || !a.Affects(fields))
                continue;
            if (a.Everywhere || (_scope[a.Block] == scope && CanIntervene(a.Start, a.Block, definite, use, block)))
                return false;
        }
        return !_taints.Any(t => t.Everywhere || (_scope[t.Block] == scope && CanIntervene(t.Position, t.Block, definite, use, block)));
    }

    /// <summary>Whether something written at <paramref name="position"/> can run after D and before the use.</summary>
    private bool CanIntervene(int position, int at, Assignment definite, int use, int useBlock)
    {
        if (position <= definite.Start)
            return false; // any path from there to the use passes D again
        if (position < use)
            return true;
        // After the use: only a loop that holds the use but not D brings it round again without passing D.
        for (var b = useBlock; b >= 0 && b != definite.Block; b = _parent[b])
            if (_loop[b] && Encloses(b, at))
                return true;
        return false;
    }

    private bool Encloses(int outer, int inner)
    {
        for (var b = inner; b >= 0; b = _parent[b])
            if (b == outer)
                return true;
        return false;
    }

    private void Build()
    {
        var c = _context;
        var current = 0;
        var statement = 0;
        for (var i = 0; i < c.Count; i++)
        {
            var token = c[i];
            if (i == 0 || token.Has(TokenFlags.StatementStart))
                statement = i;
            if (token.Kind == TokenKind.Keyword)
                current = Keyword(i, current, statement);
            else if (statement == i && token.Kind is TokenKind.Identifier or TokenKind.OpenBracket)
                Statement(i, current);
            _blockOf[i] = current;
            _statementOf[i] = statement;
            if (token.Kind == TokenKind.At && c.Is(i + 1, TokenKind.OpenParen))
                _anonymous.Add(AnonymousAt(i));
            else if (token.Kind == TokenKind.Identifier && c.IsFreeName(i))
                TaintAt(i, current);
        }
    }

    private int Keyword(int i, int current, int statement)
    {
        var c = _context;
        switch (c.Text(c[i]))
        {
            case "while" or "do":
                return Open(current, function: false, loop: true);
            case "if" or "switch" or "try" or "unwind_protect" or "spmd" or "classdef":
                return Open(current, function: false);
            case "for" or "parfor":
                var block = Open(current, function: false, loop: true);
                var variable = c.Is(i + 1, TokenKind.OpenParen) ? i + 2 : i + 1;
                if (c.Is(variable, TokenKind.Identifier))
                    Add(variable, variable + 1, clean: false, statement, StatementEnd(i), block);
                return block;
            case "function":
                return Open(current, function: true);
            case "elseif" or "else" or "case" or "otherwise" or "catch" or "unwind_protect_cleanup":
                var sibling = Open(_parent[current] < 0 ? 0 : _parent[current], function: false);
                if (c.Text(c[i]) is "catch" && c.Is(i + 1, TokenKind.Identifier) && c[i + 1].Line == c[i].Line)
                    Add(i + 1, i + 2, clean: false, i, StatementEnd(i), sibling); // catch err
                return sibling;
            case "global" or "persistent":
                // The value comes from elsewhere: another call, another function.
                for (var k = i + 1; k < c.Count && !c[k].Has(TokenFlags.StatementStart); k++)
                    if (c.Is(k, TokenKind.Identifier))
                    {
                        Add(k, k + 1, clean: false, statement, StatementEnd(i), current);
                        if (c.Text(c[i]) is "global")
                            _globals.Add(c.Text(c[k]).ToString());
                    }
                return current;
            case "end" or "endif" or "endwhile" or "endfor" or "endparfor" or "endswitch" or "end_try_catch" or "endfunction"
                or "end_unwind_protect" or "endspmd" or "endclassdef" or "until":
                return _parent[current] < 0 ? 0 : _parent[current];
            default:
                return current;
        }
    }

    private int Open(int parent, bool function, bool loop = false)
    {
        _parent.Add(parent);
        _loop.Add(loop);
        _scope.Add(function ? _parent.Count - 1 : _scope[parent]);
        return _parent.Count - 1;
    }

    /// <summary>An assignment at a statement start: x = ..., s.f(k).g = ..., c{k} = ..., [a, b] = ..., x += ...</summary>
    private void Statement(int start, int block)
    {
        var c = _context;
        var end = StatementEnd(start);
        if (c.Is(start, TokenKind.OpenBracket))
        {
            var close = c.MatchOf(start);
            if (!c.IsOperator(close + 1, "="))
                return;
            for (var k = start + 1; k < close; k++)
                if (c.IsFreeName(k))
                    Add(k, k + 1, clean: false, start, end, block); // [a, b] = ...: values out of sight
            return;
        }
        if (c[start].Has(TokenFlags.CommandSyntax))
        {
            // f =name or f += 1 read as command syntax here may be an assignment where f is a variable (and in MATLAB).
            if (c.Is(start + 1, TokenKind.CommandArgument))
            {
                var word = c.Text(c[start + 1]);
                var leading = word[..Syntax.OperatorLength(word)];
                if (leading.SequenceEqual("=") || Syntax.IsComputedAssignment(leading))
                    Add(start, start + 1, clean: false, start, end, block);
            }
            return;
        }
        var target = start + 1;
        while (target < end)
        {
            if (c.Is(target, TokenKind.Dot))
                target += c.Is(target + 1, TokenKind.OpenParen) ? 1 : 2;
            else if (c.Is(target, TokenKind.OpenParen) || c.Is(target, TokenKind.OpenBrace))
                target = c.MatchOf(target) + 1;
            else
                break;
        }
        if (!c.Is(target, TokenKind.Operator))
            return;
        var op = c.Text(c[target]);
        if (op.SequenceEqual("="))
            Add(start, target, IsCleanValue(target + 1, ValueEnd(target + 1, end)), start, end, block);
        else if (Syntax.IsComputedAssignment(op))
            Add(start, target, clean: false, start, end, block);
    }

    private void Add(int first, int end, bool clean, int start, int statementEnd, int block, bool everywhere = false)
    {
        var c = _context;
        var path = new List<string>();
        var k = first + 1;
        for (; k + 1 < end && c.Is(k, TokenKind.Dot) && c.Is(k + 1, TokenKind.Identifier); k += 2)
            path.Add(c.Text(c[k + 1]).ToString());
        _assignments.Add(new Assignment(c.Text(c[first]).ToString(), [.. path], k < end, clean, start, statementEnd, block, everywhere));
    }

    /// <summary>Names whose call assigns variables that the code does not show.</summary>
    private void TaintAt(int i, int block)
    {
        var c = _context;
        var name = c.Text(c[i]);
        if (name is "assignin")
        {
            var arguments = c.Is(i - 1, TokenKind.At) ? null : Arguments.Of(c, i);
            if (arguments is { Count: 3 } && LiteralForms.IsAssigninTarget(c, arguments, out var variable))
            {
                var value = arguments[2];
                _assignments.Add(new Assignment(variable, [], false, IsCleanValue(value.First, value.End), i, i, block, Everywhere: true));
            }
            else
                _taints.Add(new Taint(i, block, Everywhere: true));
            return;
        }
        if (name is "evalin")
            _taints.Add(new Taint(i, block, Everywhere: true));
        else if (name is "eval" or "evalc" or "clear" or "clearvars" or "run" or "source"
                 || (name is "load" && !IsAssignedCall(i)))
            _taints.Add(new Taint(i, block, Everywhere: false));
    }

    /// <summary>x = load(...): the loaded variables go into x, not into the workspace.</summary>
    private bool IsAssignedCall(int i)
    {
        var c = _context;
        return !c.Is(i - 1, TokenKind.At) && c.IsOperator(i - 1, "=") && c.Is(i + 1, TokenKind.OpenParen)
            && (c.Is(i - 2, TokenKind.Identifier) || c.Is(i - 2, TokenKind.CloseBracket) || c.Is(i - 2, TokenKind.CloseParen)
                || c.Is(i - 2, TokenKind.CloseBrace));
    }

    private Anonymous AnonymousAt(int at)
    {
        var c = _context;
        var close = c.MatchOf(at + 1);
        var parameters = new HashSet<string>(StringComparer.Ordinal);
        for (var k = at + 2; k < close; k++)
            if (c.Is(k, TokenKind.Identifier))
                parameters.Add(c.Text(c[k]).ToString());
        var end = close + 1;
        for (; end < c.Count; end++)
        {
            var kind = c[end].Kind;
            if (c[end].Has(TokenFlags.StatementStart) || kind is TokenKind.Comma or TokenKind.Semicolon or TokenKind.Newline
                or TokenKind.CloseParen or TokenKind.CloseBracket or TokenKind.CloseBrace)
                break;
            if (kind is TokenKind.OpenParen or TokenKind.OpenBracket or TokenKind.OpenBrace)
                end = c.MatchOf(end);
        }
        return new Anonymous(close + 1, end, parameters);
    }

    private int StatementEnd(int start)
    {
        var k = start + 1;
        while (k < _context.Count && !_context[k].Has(TokenFlags.StatementStart))
            k++;
        return k;
    }

    /// <summary>The value of x = value stops before the ',' ';' or line end that ends the statement.</summary>
    private int ValueEnd(int first, int statementEnd)
    {
        var end = statementEnd;
        while (end > first && _context[end - 1].Kind is TokenKind.Comma or TokenKind.Semicolon or TokenKind.Newline)
            end--;
        return end;
    }
}
