namespace MatlabMcp.Security.Rules;

/// <summary>
/// <c>x -system(1)</c> is command syntax to Octave (it errors when x is a variable), but MATLAB reads it as
/// arithmetic when x is a variable. So a command whose first word starts with an operator, a quote or a bracket
/// is read again as an expression and checked that way too. Words starting with a letter (help system, format
/// long) cannot form an expression and stay text.
/// </summary>
internal sealed class CommandExpressionRule : IPolicyRule
{
    public void Check(PolicyContext context)
    {
        for (var i = 0; i < context.Count; i++)
        {
            var token = context[i];
            if (!token.Has(TokenFlags.CommandSyntax) || !context.Is(i + 1, TokenKind.CommandArgument))
                continue;
            var first = context.Text(context[i + 1])[0];
            if (Syntax.IdentifierPart.Contains(first) || first == '"')
                continue;
            var last = i + 1;
            while (context.Is(last + 1, TokenKind.CommandArgument))
                last++;
            context.InspectAsExpression(token, context[last].End);
        }
    }
}
