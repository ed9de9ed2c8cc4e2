using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>Limits on running code.</summary>
internal sealed class ExecutionOptions : IConfigSection<ExecutionOptions>
{
    /// <summary>Seconds code may run when the caller gives no limit.</summary>
    [ConfigurationKeyName("default_timeout")] public double DefaultTimeoutSeconds { get; set; } = 3600;

    /// <summary>Upper bound, in seconds, for any caller-given limit.</summary>
    [ConfigurationKeyName("max_execution_time")] public double MaxExecutionTimeSeconds { get; set; } = 86400;

    /// <summary>Seconds execute_code waits for a result before returning a job id instead (0: always a job).</summary>
    [ConfigurationKeyName("sync_timeout")] public double SyncTimeoutSeconds { get; set; } = 30;

    /// <summary>Seconds between progress heartbeats while a call waits for its code.</summary>
    [ConfigurationKeyName("heartbeat_interval")] public double HeartbeatIntervalSeconds { get; set; } = 3;

    /// <summary>Largest code text accepted, in characters.</summary>
    [ConfigurationKeyName("max_code_chars")] public int MaxCodeChars { get; set; } = 1_000_000;

    /// <summary>
    /// Host folders holding a project's code: engines read them (bound read-only at the same path) and tools that take a
    /// path (run_file, run_tests, check_code, sections, project_path) accept files inside them besides the session's own.
    /// </summary>
    [ConfigurationKeyName("project_folders")] public string[] ProjectFolders { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        if (DefaultTimeoutSeconds <= 0)
            yield return "execution.default_timeout must be a positive number of seconds.";
        if (MaxExecutionTimeSeconds <= 0)
            yield return "execution.max_execution_time must be a positive number of seconds.";
        if (DefaultTimeoutSeconds > MaxExecutionTimeSeconds)
            yield return "execution.default_timeout must not exceed execution.max_execution_time.";
        if (SyncTimeoutSeconds < 0)
            yield return "execution.sync_timeout must be 0 (always return a job) or a positive number of seconds.";
        if (HeartbeatIntervalSeconds <= 0)
            yield return "execution.heartbeat_interval must be a positive number of seconds.";
        if (MaxCodeChars <= 0)
            yield return "execution.max_code_chars must be positive.";
        foreach (var folder in ProjectFolders)
        {
            if (!Path.IsPathRooted(folder))
                yield return $"execution.project_folders: '{folder}' must be an absolute path.";
            else if (!Directory.Exists(folder))
                yield return $"execution.project_folders: '{folder}' is not a folder on this machine.";
            else if (Path.GetFullPath(folder).TrimEnd('/').Length == 0)
                yield return "execution.project_folders: '/' would give engines the whole machine; name the project's own folder.";
        }
    }

    public TimeSpan SyncTimeout => TimeSpan.FromSeconds(SyncTimeoutSeconds);
    public TimeSpan HeartbeatInterval => TimeSpan.FromSeconds(HeartbeatIntervalSeconds);
}
