using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>Bounds on what a result may carry back to the agent.</summary>
internal sealed class OutputOptions : IConfigSection<OutputOptions>
{
    /// <summary>Printed output kept per call, in characters, and the most streamed live; the rest is cut with a notice.</summary>
    [ConfigurationKeyName("max_output_chars")] public int MaxOutputChars { get; set; } = 50_000;

    /// <summary>Variables listed by get_workspace.</summary>
    [ConfigurationKeyName("max_workspace_variables")] public int MaxWorkspaceVariables { get; set; } = 500;

    /// <summary>Elements get_variable returns at most, across the nesting (its max_elements may ask for fewer).</summary>
    [ConfigurationKeyName("max_variable_elements")] public int MaxVariableElements { get; set; } = 1000;

    public IEnumerable<string> Validate()
    {
        if (MaxOutputChars < 100)
            yield return "output.max_output_chars must be at least 100.";
        if (MaxWorkspaceVariables <= 0)
            yield return "output.max_workspace_variables must be positive.";
        if (MaxVariableElements <= 0)
            yield return "output.max_variable_elements must be positive.";
    }
}
