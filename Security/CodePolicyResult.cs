using System.Text.Json.Serialization;
using System.Text;
using MatlabMcp.Output;

namespace MatlabMcp.Security;

/// <summary>The policies a violation can come from; named in every rejection so the agent knows which fired.</summary>
internal static class PolicyNames
{
    public const string BlockedFunction = "blocked-function";
    public const string ShellEscape = "shell-escape";
    public const string ShellArgument = "shell-argument";
    public const string DynamicCode = "dynamic-code";
    public const string PathConfinement = "path-confinement";
    public const string Syntax = "syntax";
}

/// <summary>
/// The verdict on one piece of code. A value the caller can keep: execution turns a refusal into a rejection that
/// carries it.
/// </summary>
internal sealed class CodePolicyResult(IReadOnlyList<PolicyViolation> violations)
{
    private const int ListedAtMost = 30;

    /// <summary>The result when code_policy.enabled is false: nothing was checked.</summary>
    public static CodePolicyResult NotEnforced { get; } = new([]);

    public IReadOnlyList<PolicyViolation> Violations { get; } = violations;

    public bool IsAllowed => Violations.Count == 0;

    /// <summary>The rejection as the agent reads it: every problem at once, each with its fix.</summary>
    public string Describe()
    {
        if (IsAllowed)
            return "The code passed the server's code policy.";
        var text = new StringBuilder();
        text.Append("The code was not run: the server's code policy found ")
            .Append(Violations.Count == 1 ? "1 problem" : $"{Violations.Count} problems")
            .AppendLine(". Nothing was executed; fix every item and send the code again.");
        foreach (var v in Violations.Take(ListedAtMost))
            text.AppendLine($"- line {v.Line}, column {v.Column}: {v.Message} [policy: {v.Policy}]");
        if (Violations.Count > ListedAtMost)
            text.AppendLine($"- ... and {Violations.Count - ListedAtMost} more.");
        return text.ToString().TrimEnd();
    }

    /// <summary>Short form for logs: policies and subjects, no code.</summary>
    public string Summary() =>
        string.Join(", ", Violations.Select(v => $"{v.Policy}:{v.Subject}@{v.Line}:{v.Column}").Distinct().Take(ListedAtMost));
}
