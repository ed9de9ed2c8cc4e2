namespace MatlabMcp.Security.Rules;

/// <summary>
/// Callback properties take code as text: timer('TimerFcn', 'system(''ls'')'), set(h, 'ButtonDownFcn', ...),
/// t.TimerFcn = '...', {'TimerFcn', '...'}. A property named *Fcn, *Callback or ErrorHandler followed by a literal
/// has that literal checked as code; a callback built at run time is refused; handles pass, and variables that
/// <see cref="VariableFlow"/> proves hold one.
/// </summary>
internal sealed class CallbackRule : IPolicyRule
{
    public void Check(PolicyContext context)
    {
        for (var i = 0; i < context.Count; i++)
        {
            var token = context[i];
            if (token.Kind == TokenKind.OpenParen)
                CheckPairs(context, Arguments.InList(context, i));
            else if (token.Has(TokenFlags.CommandSyntax))
                CheckPairs(context, Arguments.Of(context, i)!);
            else if (token.Kind == TokenKind.OpenBrace)
                CheckCell(context, i);
            else if (token.Kind == TokenKind.Dot && context.Is(i + 1, TokenKind.Identifier) && context.IsOperator(i + 2, "=")
                     && IsCallbackProperty(context.Text(context[i + 1])))
                CheckValue(context, new Argument(i + 3, StatementEnd(context, i + 3)), context.Text(context[i + 1]).ToString());
        }
    }

    private static void CheckPairs(PolicyContext context, List<Argument> arguments)
    {
        for (var k = 0; k + 1 < arguments.Count; k++)
            if (Arguments.TryGetLiteral(context, arguments[k], out _, out var property) && IsCallbackProperty(property))
                CheckValue(context, arguments[k + 1], property.Trim());
    }

    /// <summary>Inside { }, elements may be separated by blanks alone, so only name-then-literal pairs are judged.</summary>
    private static void CheckCell(PolicyContext context, int open)
    {
        var close = context.MatchOf(open);
        for (var i = open + 1; i < close; i++)
        {
            var kind = context[i].Kind;
            if (kind is TokenKind.OpenParen or TokenKind.OpenBracket or TokenKind.OpenBrace)
            {
                i = Math.Min(context.MatchOf(i), close);
                continue;
            }
            if (!context[i].IsLiteral || !IsCallbackProperty(context.Value(context[i])))
                continue;
            var value = context.Is(i + 1, TokenKind.Comma) ? i + 2 : i + 1;
            if (value < close && context[value].IsLiteral)
                context.InspectString(context.Value(context[value]), context[value], $"the {context.Value(context[i]).Trim()} callback");
            else if (value < close && context.Is(value, TokenKind.Identifier)
                     && context[value + 1].Kind is TokenKind.Comma or TokenKind.Semicolon or TokenKind.Newline or TokenKind.CloseBrace)
                CheckValue(context, new Argument(value, value + 1), context.Value(context[i]).Trim()); // {'TimerFcn', cb}
        }
    }

    private static void CheckValue(PolicyContext context, Argument value, string property)
    {
        switch (Arguments.Shape(context, value))
        {
            case ArgumentShape.Literal:
                Arguments.TryGetLiteral(context, value, out var literal, out var code);
                context.InspectString(code, literal, $"the {property} callback");
                break;
            case ArgumentShape.Cell:
                // {@f, arg} or {'f', arg}: the first element is the function.
                var first = context[value.First + 1];
                if (first.IsLiteral)
                    context.InspectString(context.Value(first), first, $"the {property} callback");
                else if (first.Kind is not (TokenKind.At or TokenKind.Identifier or TokenKind.CloseBrace))
                    Refuse(context, value, property);
                break;
            case ArgumentShape.Computed:
                Refuse(context, value, property);
                break;
            case ArgumentShape.Name when !context.Flow.HoldsHandle(value):
                // A variable may hold code text from data (cb = fileread(...)): only a visible handle is known safe.
                context.Report(PolicyNames.DynamicCode, property, context[value.First],
                    $"the {property} callback is the variable {context.Text(context[value.First])}, and this code does not " +
                    $"assign it a function handle, so it may hold code from data: pass a handle, e.g. '{property}', " +
                    "@(src, event) disp('done'), or assign one in this code first");
                break;
        }
    }

    private static void Refuse(PolicyContext context, Argument value, string property) =>
        context.Report(PolicyNames.DynamicCode, property, context[value.First],
            $"the {property} callback is built at run time, so it cannot be checked: pass a function handle, " +
            $"e.g. '{property}', @(src, event) disp('done')");

    private static int StatementEnd(PolicyContext context, int from)
    {
        for (var i = from; i < context.Count; i++)
        {
            var kind = context[i].Kind;
            if (kind is TokenKind.OpenParen or TokenKind.OpenBracket or TokenKind.OpenBrace)
                i = context.MatchOf(i);
            else if (kind is TokenKind.Comma or TokenKind.Semicolon or TokenKind.Newline)
                return i;
        }
        return context.Count;
    }

    private static bool IsCallbackProperty(ReadOnlySpan<char> name)
    {
        name = name.Trim();
        return name.EndsWith("Fcn", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("Callback", StringComparison.OrdinalIgnoreCase)
            || name.Equals("ErrorHandler", StringComparison.OrdinalIgnoreCase);
    }
}
