using System.Text;
using MatlabMcp.Configuration;

namespace MatlabMcp.Security;

/// <summary>
/// The blocked functions in force, each group with the reason and what to use instead (<see cref="PolicyAdvice"/>), as
/// markdown for the agent. Built from the configuration each time it is read, so it never lists a stale default.
/// </summary>
internal static class BlockedFunctionsGuide
{
    public static string Markdown(CodePolicyOptions policy, ApprovalOptions approval)
    {
        var text = new StringBuilder("# Blocked functions\n\n");
        if (!policy.Enabled)
            text.Append("The code policy is off (code_policy.enabled: false): nothing is refused before it runs. " +
                "The engine's sandbox still applies: no network, and only the session folder is writable.\n");
        else
        {
            var allowed = policy.AllowedFunctions.ToHashSet(StringComparer.Ordinal);
            text.Append("Code that uses one of these in any form (a call, command syntax, a handle such as @system, or the name " +
                "passed as text to cellfun, feval, timers or callbacks) is refused before anything runs; the refusal names " +
                "the line and column. `name.*` means everything in that package.\n\n");
            // One line per piece of advice, in the order the list gives the entries.
            foreach (var group in policy.EffectiveBlockedFunctions.Where(e => !allowed.Contains(e)).GroupBy(PolicyAdvice.For))
                text.Append("- ").AppendJoin(", ", group.Select(e => $"`{e}`")).Append(": ").Append(group.Key).Append(".\n");
            if (allowed.Count > 0)
                text.Append("\nAllowed on this server (code_policy.allowed_functions): ")
                    .AppendJoin(", ", allowed.Order(StringComparer.Ordinal).Select(e => $"`{e}`")).Append(".\n");
            text.Append("\nLiteral forms pass: `str2func('cos')`, `run('script.m')` (a relative .m path), " +
                "`assignin('base', 'z', 3)`, `feval('sin', 1)`.\n");
        }
        if (approval.Mode == ApprovalOptions.Protected)
            text.Append("\nNeeds a person's approval first (approval.mode: protected): ")
                .AppendJoin(", ", approval.EffectiveProtectedFunctions.Select(e => $"`{e}`")).Append(".\n");
        else if (approval.Mode == ApprovalOptions.All)
            text.Append("\nEvery execution needs a person's approval first (approval.mode: all).\n");
        return text.ToString();
    }
}
