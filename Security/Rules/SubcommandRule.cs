namespace MatlabMcp.Security.Rules;

/// <summary>Entries such as "pkg install": the function is fine, that first argument is not (pkg load passes).</summary>
internal sealed class SubcommandRule : IPolicyRule
{
    public void Check(PolicyContext context)
    {
        for (var i = 0; i < context.Count; i++)
        {
            if (!context.IsFreeName(i) || !context.Policy.Blocked.TryGetSubcommands(context.Text(context[i]), out var words))
                continue;
            var arguments = Arguments.Of(context, i);
            if (arguments is not { Count: > 0 } || !Arguments.TryGetLiteral(context, arguments[0], out _, out var value))
                continue;
            var word = value.Trim();
            if (!words.Contains(word))
                continue;
            var entry = $"{context.Text(context[i])} {word}";
            context.Report(PolicyNames.BlockedFunction, entry, context[i], $"{entry} is blocked: {PolicyAdvice.For(entry)}.");
        }
    }
}
