namespace MatlabMcp.Security.Rules;

/// <summary>
/// A blocked function named anywhere it can run: a call, command syntax, a handle (@system), a dotted package path
/// (py.os.popen, java.lang.Runtime). Fields and methods (obj.run) are not the function and pass, and so do the literal
/// forms of <see cref="LiteralForms"/>.
/// </summary>
internal sealed class BlockedNameRule : IPolicyRule
{
    public void Check(PolicyContext context)
    {
        var blocked = context.Policy.Blocked;
        for (var i = 0; i < context.Count; i++)
        {
            if (!context.IsFreeName(i))
                continue;
            var token = context[i];
            var name = context.Text(token);
            string? entry = null;
            var dotted = context.Is(i + 1, TokenKind.Dot) && context.Is(i + 2, TokenKind.Identifier);
            if (dotted && blocked.HasDottedEntries)
                entry = blocked.Match(context.DottedPath(i));
            else if (blocked.IsBlocked(name))
                entry = name.ToString();
            if (entry is null)
                continue;
            // str2func('cos'), run('script.m'), assignin('base', 'z', 3): the literal form is fine; others get their own reason.
            var called = context.Is(i + 1, TokenKind.OpenParen) || token.Has(TokenFlags.CommandSyntax);
            var literalForm = called && !dotted && !context.Is(i - 1, TokenKind.At) && LiteralForms.Applies(name)
                ? LiteralForms.Refusal(context, i, entry) : "";
            if (literalForm is null)
                continue;
            if (literalForm.Length > 0)
            {
                context.Report(PolicyNames.BlockedFunction, entry, token, $"{literalForm}.");
                continue;
            }
            var written = dotted ? string.Join('.', context.DottedPath(i)) : name.ToString();
            var what = context.Is(i - 1, TokenKind.At) ? $"@{written} (a handle to {entry})"
                : entry.EndsWith(".*", StringComparison.Ordinal) ? $"{written} ({entry})"
                : token.Has(TokenFlags.CommandSyntax) ? $"{written} (command syntax)"
                : written;
            var variable = context.IsOperator(i + 1, "=") ? " To use the name for a variable, choose another name." : "";
            context.Report(PolicyNames.BlockedFunction, entry, token, $"{what} is blocked: {PolicyAdvice.For(entry)}.{variable}");
        }
    }
}
