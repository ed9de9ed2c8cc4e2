using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>Bounds on what a result may carry back to the agent.</summary>
internal sealed class OutputOptions : IConfigSection<OutputOptions>
{
    /// <summary>Printed output kept per call, in characters, and the most streamed live; the rest is cut with a notice.</summary>
    [ConfigurationKeyName("max_output_chars")] public int MaxOutputChars { get; set; } = 50_000;

    /// <summary>Variables listed by get_workspace.</summary>
    [ConfigurationKeyName("max_workspace_variables")] public int MaxWorkspaceVariables { get; set; } = 500;

    /// <summary>Largest file upload_file accepts, in MiB (checked before anything is written).</summary>
    [ConfigurationKeyName("max_upload_mb")] public double MaxUploadMb { get; set; } = 50;

    /// <summary>Largest image or resource that read_file and resources/read return whole, in MiB (5: what model APIs take per image, and base64 of it stays under the 10 MiB message buffer of common stdio clients).</summary>
    [ConfigurationKeyName("max_read_mb")] public double MaxReadMb { get; set; } = 5;

    /// <summary>Entries list_files returns at most (the rest are counted).</summary>
    [ConfigurationKeyName("max_listed_files")] public int MaxListedFiles { get; set; } = 200;

    public long MaxUploadBytes => (long)(MaxUploadMb * 1024 * 1024);
    public long MaxReadBytes => (long)(MaxReadMb * 1024 * 1024);

    public IEnumerable<string> Validate()
    {
        if (MaxUploadMb <= 0 || MaxUploadMb > 4096)
            yield return "output.max_upload_mb must be above 0 and at most 4096.";
        if (MaxReadMb <= 0 || MaxReadMb > 1024)
            yield return "output.max_read_mb must be above 0 and at most 1024.";
        if (MaxListedFiles <= 0)
            yield return "output.max_listed_files must be positive.";
        if (MaxOutputChars < 100)
            yield return "output.max_output_chars must be at least 100.";
        if (MaxWorkspaceVariables <= 0)
            yield return "output.max_workspace_variables must be positive.";
    }
}
