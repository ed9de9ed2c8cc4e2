using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>Bounds on what a result may carry back to the agent.</summary>
internal sealed class OutputOptions : IConfigSection<OutputOptions>
{
    /// <summary>
    /// Printed output kept per call, in characters, and the most streamed live; the rest is cut at line boundaries with a
    /// marker that names the file holding the full text. The ceiling for execute_code's max_output_chars (a call may ask for
    /// less, never more). 20,000 because agents pay for every token and Claude Code caps a tool result at ~25K tokens by
    /// default: 20,000 characters of typical numeric output are ~7-10K tokens, which leaves room for the rest of the result
    /// (error, figures' links) and for a second call's result in the same turn.
    /// </summary>
    [ConfigurationKeyName("max_output_chars")] public int MaxOutputChars { get; set; } = 20_000;

    /// <summary>
    /// The most a job's spilled output file (<c>output/&lt;job&gt;.txt</c> in the session folder) may hold, in MB; past it the
    /// file keeps the start and the result says the file was cut. Bounds the disk a runaway print loop can fill.
    /// </summary>
    [ConfigurationKeyName("max_spill_mb")] public double MaxSpillMb { get; set; } = 100;

    /// <summary>Variables listed by get_workspace.</summary>
    [ConfigurationKeyName("max_workspace_variables")] public int MaxWorkspaceVariables { get; set; } = 500;

    /// <summary>output.max_spill_mb in bytes.</summary>
    public long MaxSpillBytes => (long)(MaxSpillMb * 1024 * 1024);

    public IEnumerable<string> Validate()
    {
        if (MaxOutputChars < 100)
            yield return "output.max_output_chars must be at least 100.";
        if (MaxSpillMb is <= 0 or > 100_000 || double.IsNaN(MaxSpillMb))
            yield return "output.max_spill_mb must be positive (at most 100000).";
        if (MaxWorkspaceVariables <= 0)
            yield return "output.max_workspace_variables must be positive.";
    }
}
