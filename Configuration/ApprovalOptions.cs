using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>When a person must approve code before it runs, asked through the MCP client (elicitation).</summary>
internal sealed partial class ApprovalOptions : IConfigSection<ApprovalOptions>
{
    public const string Off = "off";
    public const string Protected = "protected";
    public const string All = "all";

    /// <summary>Functions that need approval in protected mode by default: the ones that destroy or move files.</summary>
    public static IReadOnlyList<string> DefaultProtectedFunctions { get; } =
        ["delete", "unlink", "rmdir", "movefile", "copyfile", "rename"];

    /// <summary>off: never ask; protected: ask for code calling a protected function; all: ask for every execution.</summary>
    [ConfigurationKeyName("mode")] public string Mode { get; set; } = Off;

    /// <summary>
    /// Functions whose use (call, command syntax, handle, or name passed as text) needs approval in protected mode.
    /// Null (not configured): <see cref="DefaultProtectedFunctions"/> (null because the binder appends to a list already there).
    /// </summary>
    [ConfigurationKeyName("protected_functions")] public string[]? ProtectedFunctions { get; set; }

    /// <summary>The protected list in force: the configured one, or the default.</summary>
    public IReadOnlyList<string> EffectiveProtectedFunctions => ProtectedFunctions ?? DefaultProtectedFunctions;

    /// <summary>Seconds a person has to answer; no answer means the code does not run.</summary>
    [ConfigurationKeyName("timeout_seconds")] public double TimeoutSeconds { get; set; } = 120;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public IEnumerable<string> Validate()
    {
        if (Mode is not (Off or Protected or All))
            yield return $"approval.mode must be '{Off}', '{Protected}' or '{All}', not '{Mode}'.";
        if (TimeoutSeconds <= 0)
            yield return "approval.timeout_seconds must be a positive number of seconds.";
        foreach (var name in EffectiveProtectedFunctions)
            if (!NamePattern().IsMatch(name))
                yield return $"approval.protected_functions: '{name}' is not a function name or a dotted name.";
        if (Mode == Protected && EffectiveProtectedFunctions.Count == 0)
            yield return "approval.mode is 'protected' but approval.protected_functions is empty: list functions, or use 'off'.";
    }

    [GeneratedRegex(@"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(\.\*)?$")]
    private static partial Regex NamePattern();
}
