namespace MatlabMcp.Configuration;

/// <summary>Limits on one execute_code call.</summary>
[ConfigKey("execution")]
internal sealed class ExecutionOptions
{
    /// <summary>Seconds a call may run when the caller gives no limit.</summary>
    [ConfigKey("default_timeout")] public double DefaultTimeoutSeconds { get; set; } = 120;

    /// <summary>Upper bound, in seconds, for any caller-given limit.</summary>
    [ConfigKey("max_execution_time")] public double MaxExecutionTimeSeconds { get; set; } = 3600;

    /// <summary>Largest code text accepted, in characters.</summary>
    [ConfigKey("max_code_chars")] public int MaxCodeChars { get; set; } = 1_000_000;

    public IEnumerable<string> Validate()
    {
        if (DefaultTimeoutSeconds <= 0)
            yield return "execution.default_timeout must be a positive number of seconds.";
        if (MaxExecutionTimeSeconds <= 0)
            yield return "execution.max_execution_time must be a positive number of seconds.";
        if (DefaultTimeoutSeconds > MaxExecutionTimeSeconds)
            yield return "execution.default_timeout must not exceed execution.max_execution_time.";
        if (MaxCodeChars <= 0)
            yield return "execution.max_code_chars must be positive.";
    }
}
