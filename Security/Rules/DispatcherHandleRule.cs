namespace MatlabMcp.Security.Rules;

/// <summary>
/// A handle to a function that calls functions by name (@feval, @cellfun, @ode45, ...) hands the choice of what runs
/// to data: cellfun(@feval, {name}, ...) calls whatever name holds. Such handles are refused like the blocked functions
/// (those are reported by <see cref="BlockedNameRule"/>); an operator who lists the function in allowed_functions lets
/// it take run-time names, handle included.
/// </summary>
internal sealed class DispatcherHandleRule : IPolicyRule
{
    public void Check(PolicyContext context)
    {
        var blocked = context.Policy.Blocked;
        for (var i = 1; i < context.Count; i++)
        {
            if (!context.Is(i - 1, TokenKind.At) || !context.Is(i, TokenKind.Identifier) || context.Is(i + 1, TokenKind.Dot))
                continue;
            var name = context.Text(context[i]);
            if (!FunctionArgumentRule.IsDispatcher(name) || blocked.IsBlocked(name) || blocked.IsAllowed(name.ToString()))
                continue;
            var text = name.ToString();
            context.Report(PolicyNames.DynamicCode, text, context[i], FunctionArgumentRule.DispatcherRefusal($"@{text}", text, null));
        }
    }
}
