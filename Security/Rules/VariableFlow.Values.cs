namespace MatlabMcp.Security.Rules;

/// <summary>Which assigned values are clean: they can only ever call a function the policy allows.</summary>
internal sealed partial class VariableFlow
{
    /// <summary>A handle, an allowed literal name, a cell of those, or an empty container.</summary>
    private bool IsCleanValue(int first, int end)
    {
        var c = _context;
        if (first >= end)
            return false;
        var t = c[first];
        if (t.Kind == TokenKind.At)
            return c.Is(first + 1, TokenKind.OpenParen) || DottedNameEnd(first + 1) == end;
        if (end == first + 1 && t.IsLiteral && !t.Has(TokenFlags.Unterminated))
            return IsAllowedName(c.Value(t));
        if (t.Kind == TokenKind.OpenBracket && end == first + 2 && c.Is(first + 1, TokenKind.CloseBracket))
            return true;
        if (t.Kind == TokenKind.OpenBrace && c.MatchOf(first) == end - 1)
            return Arguments.InList(c, first).All(item => IsCleanItem(item.First, item.End));
        if (t.Kind == TokenKind.Identifier && c.Is(first + 1, TokenKind.OpenParen) && c.MatchOf(first + 1) == end - 1)
            return c.Text(t) is "cell" || (c.Text(t) is "struct" && IsCleanStruct(first + 1));
        return false;
    }

    /// <summary>struct() or struct('name', clean, ...): literal field names, every value clean.</summary>
    private bool IsCleanStruct(int open)
    {
        var pairs = Arguments.InList(_context, open);
        if (pairs.Count % 2 != 0)
            return false;
        for (var k = 0; k < pairs.Count; k += 2)
            if (Arguments.Shape(_context, pairs[k]) != ArgumentShape.Literal || !IsCleanValue(pairs[k + 1].First, pairs[k + 1].End))
                return false;
        return true;
    }

    /// <summary>One comma-separated item of a cell: blanks may separate several elements, so each must be clean.</summary>
    private bool IsCleanItem(int first, int end)
    {
        var c = _context;
        if (c.Is(first, TokenKind.At) && c.Is(first + 1, TokenKind.OpenParen))
            return !HasJuxtaposition(c.MatchOf(first + 1) + 1, end);
        for (var k = first; k < end;)
        {
            var t = c[k];
            if (t.Kind == TokenKind.At && DottedNameEnd(k + 1) is var after && after > k + 1)
                k = after;
            else if (t.IsLiteral && !t.Has(TokenFlags.Unterminated) && IsAllowedName(c.Value(t)))
                k++;
            else if (t.Kind is TokenKind.OpenBrace or TokenKind.OpenBracket && IsCleanValue(k, c.MatchOf(k) + 1))
                k = c.MatchOf(k) + 1;
            else
                return false;
        }
        return true;
    }

    /// <summary>After name(.name)* starting at <paramref name="first"/>; <paramref name="first"/> itself if no name is there.</summary>
    private int DottedNameEnd(int first)
    {
        var c = _context;
        if (!c.Is(first, TokenKind.Identifier))
            return first;
        var k = first + 1;
        while (c.Is(k, TokenKind.Dot) && c.Is(k + 1, TokenKind.Identifier))
            k += 2;
        return k;
    }

    /// <summary>Inside { }, a blank can end an anonymous function's body and start another element: {@(x) x 'system'}.</summary>
    private bool HasJuxtaposition(int first, int end)
    {
        var c = _context;
        for (var k = first + 1; k < end; k++)
        {
            var t = c[k];
            var previous = c[k - 1].Kind;
            var afterValue = previous is TokenKind.Identifier or TokenKind.Number or TokenKind.CharLiteral or TokenKind.StringLiteral
                or TokenKind.CloseParen or TokenKind.CloseBracket or TokenKind.CloseBrace or TokenKind.Transpose;
            var startsValue = t.Kind is TokenKind.Identifier or TokenKind.Number or TokenKind.CharLiteral or TokenKind.StringLiteral
                or TokenKind.OpenParen or TokenKind.OpenBracket or TokenKind.OpenBrace or TokenKind.At
                || (t.Kind == TokenKind.Operator && c.Text(t) is "+" or "-" && k + 1 < end && !c[k + 1].Has(TokenFlags.SpaceBefore));
            if (afterValue && startsValue && t.Has(TokenFlags.SpaceBefore))
                return true;
            if (t.Kind is TokenKind.OpenParen or TokenKind.OpenBracket or TokenKind.OpenBrace)
                k = Math.Min(c.MatchOf(k), end - 1);
        }
        return false;
    }

    /// <summary>A literal that names a function the policy lets run, and cannot dispatch to another by name.</summary>
    private bool IsAllowedName(string value)
    {
        var name = value.Trim();
        if (name.Length == 0 || !Syntax.IdentifierStart.Contains(name[0]) || name.AsSpan().ContainsAnyExcept(Syntax.IdentifierPart)
            || Syntax.IsKeyword(name, _context.Policy.Dialect))
            return false;
        var blocked = _context.Policy.Blocked;
        return !blocked.IsBlocked(name) && (!FunctionArgumentRule.IsDispatcher(name) || blocked.IsAllowed(name));
    }
}
