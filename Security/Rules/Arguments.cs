namespace MatlabMcp.Security.Rules;

/// <summary>An argument as the token range [First, End).</summary>
internal readonly record struct Argument(int First, int End)
{
    public bool IsEmpty => First >= End;
}

/// <summary>What an argument is, as far as a reader of the source can tell.</summary>
internal enum ArgumentShape
{
    Empty,
    Literal,  // 'sin', "sin", or a command word: the value is known
    Handle,   // @sin or @(x) ...: the tokens are checked where they stand
    Name,     // f, s.f or c{k}: a variable, usually holding a handle
    Cell,     // {...}
    Computed, // anything else: built at run time
}

internal static class Arguments
{
    /// <summary>The arguments of the call named at <paramref name="index"/>: command words or a parenthesised list.</summary>
    public static List<Argument>? Of(PolicyContext context, int index)
    {
        if (context[index].Has(TokenFlags.CommandSyntax))
        {
            var words = new List<Argument>();
            for (var i = index + 1; context.Is(i, TokenKind.CommandArgument); i++)
                words.Add(new Argument(i, i + 1));
            return words;
        }
        return context.Is(index + 1, TokenKind.OpenParen) ? InList(context, index + 1) : null;
    }

    /// <summary>The comma-separated items of the bracketed list opened at <paramref name="open"/>.</summary>
    public static List<Argument> InList(PolicyContext context, int open)
    {
        var items = new List<Argument>();
        var close = context.MatchOf(open);
        var first = open + 1;
        for (var i = open + 1; i < close; i++)
        {
            var kind = context[i].Kind;
            if (kind is TokenKind.OpenParen or TokenKind.OpenBracket or TokenKind.OpenBrace)
                i = Math.Min(context.MatchOf(i), close); // skip nested lists in one step: the whole check stays linear
            else if (kind is TokenKind.Comma or TokenKind.Semicolon or TokenKind.Newline)
            {
                items.Add(new Argument(first, i));
                first = i + 1;
            }
        }
        if (first < close || items.Count > 0)
            items.Add(new Argument(first, close));
        return items;
    }

    public static ArgumentShape Shape(PolicyContext context, Argument argument)
    {
        if (argument.IsEmpty)
            return ArgumentShape.Empty;
        var first = context[argument.First];
        if (argument.End - argument.First == 1
            && ((first.IsLiteral && !first.Has(TokenFlags.Unterminated)) || first.Kind == TokenKind.CommandArgument))
            return ArgumentShape.Literal;
        if (first.Kind == TokenKind.At)
            return ArgumentShape.Handle;
        if (first.Kind == TokenKind.OpenBracket && argument.End - argument.First == 2 && context.Is(argument.First + 1, TokenKind.CloseBracket))
            return ArgumentShape.Empty; // [] holds a place: accumarray(subs, vals, [], [], 0)
        if (first.Kind == TokenKind.OpenBrace && context.MatchOf(argument.First) == argument.End - 1)
            return ArgumentShape.Cell;
        if (first.Kind != TokenKind.Identifier)
            return ArgumentShape.Computed;
        var i = argument.First + 1;
        while (i + 1 < argument.End && context.Is(i, TokenKind.Dot) && context.Is(i + 1, TokenKind.Identifier))
            i += 2;
        if (i == argument.End)
            return ArgumentShape.Name;
        // c{k}: an element of a cell, in practice a cell of handles. c(k) could as well be char(...): computed.
        return context.Is(i, TokenKind.OpenBrace) && context.MatchOf(i) == argument.End - 1
            ? ArgumentShape.Name : ArgumentShape.Computed;
    }

    /// <summary>The single literal an argument consists of, if it is one.</summary>
    public static bool TryGetLiteral(PolicyContext context, Argument argument, out Token literal, out string value)
    {
        literal = default;
        value = "";
        if (Shape(context, argument) != ArgumentShape.Literal)
            return false;
        literal = context[argument.First];
        value = context.Value(literal);
        return true;
    }
}
