namespace MatlabMcp.Security.Rules;

/// <summary>
/// '!' where a statement starts (line start, after ',' or ';', after else/try/...) is MATLAB's shell escape.
/// Octave reads it as logical not, but the same code may meet MATLAB, so both dialects refuse it; '!=' passes.
/// </summary>
internal sealed class ShellEscapeRule : IPolicyRule
{
    public void Check(PolicyContext context)
    {
        if (!context.Policy.Blocked.ShellEscape)
            return;
        for (var i = 0; i < context.Count; i++)
        {
            var token = context[i];
            if (token.Kind == TokenKind.ShellEscape || (token.Has(TokenFlags.StatementStart) && context.IsOperator(i, "!")))
                context.Report(PolicyNames.ShellEscape, "!", token,
                    $"'!' at the start of a statement is the shell escape, which is blocked: {PolicyAdvice.For("!")}. " +
                    "For logical not, write ~x");
        }
    }
}
