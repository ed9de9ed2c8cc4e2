using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>The elastic engine pool.</summary>
internal sealed class PoolOptions : IConfigSection<PoolOptions>
{
    /// <summary>Engines kept running even when idle (assigned or spare).</summary>
    [ConfigurationKeyName("min_engines")] public int MinEngines { get; set; } = 1;

    /// <summary>Most engines alive at once; each session holds one.</summary>
    [ConfigurationKeyName("max_engines")] public int MaxEngines { get; set; } = 8;

    /// <summary>Ready, unassigned engines kept warm so a new session starts at once.</summary>
    [ConfigurationKeyName("spare_engines")] public int SpareEngines { get; set; } = 1;

    /// <summary>Seconds an idle spare above min_engines lives before it is stopped.</summary>
    [ConfigurationKeyName("spare_idle_timeout")] public double SpareIdleTimeoutSeconds { get; set; } = 300;

    /// <summary>Seconds between health checks of idle engines.</summary>
    [ConfigurationKeyName("health_check_interval")] public double HealthCheckIntervalSeconds { get; set; } = 30;

    /// <summary>Seconds a health check may take before the engine counts as failed.</summary>
    [ConfigurationKeyName("health_check_timeout")] public double HealthCheckTimeoutSeconds { get; set; } = 5;

    /// <summary>Consecutive failed health checks after which an engine is replaced.</summary>
    [ConfigurationKeyName("health_failures_to_replace")] public int HealthFailuresToReplace { get; set; } = 1;

    /// <summary>
    /// Seconds a caller waits for a free engine, or for a session held by a short call (an engine start, a workspace read),
    /// before "busy". A session running a job answers at once instead, unless the caller passes wait_seconds.
    /// </summary>
    [ConfigurationKeyName("acquire_timeout")] public double AcquireTimeoutSeconds { get; set; } = 30;

    /// <summary>Callers allowed to wait at once; more get "server busy" immediately.</summary>
    [ConfigurationKeyName("max_waiting")] public int MaxWaiting { get; set; } = 16;

    /// <summary>Seconds running calls may take to finish at shutdown before engines are stopped.</summary>
    [ConfigurationKeyName("drain_timeout")] public double DrainTimeoutSeconds { get; set; } = 20;

    public IEnumerable<string> Validate()
    {
        if (MinEngines < 0)
            yield return "pool.min_engines must be 0 or more.";
        if (MaxEngines < 1)
            yield return "pool.max_engines must be at least 1.";
        if (MinEngines > MaxEngines)
            yield return $"pool.min_engines ({MinEngines}) must not exceed pool.max_engines ({MaxEngines}).";
        if (SpareEngines < 0 || SpareEngines > MaxEngines)
            yield return "pool.spare_engines must be between 0 and pool.max_engines.";
        if (HealthFailuresToReplace < 1)
            yield return "pool.health_failures_to_replace must be at least 1.";
        if (MaxWaiting < 0)
            yield return "pool.max_waiting must be 0 or more.";
        foreach (var (name, value) in new[] { ("spare_idle_timeout", SpareIdleTimeoutSeconds), ("health_check_interval", HealthCheckIntervalSeconds),
                     ("health_check_timeout", HealthCheckTimeoutSeconds), ("acquire_timeout", AcquireTimeoutSeconds), ("drain_timeout", DrainTimeoutSeconds) })
            if (value <= 0)
                yield return $"pool.{name} must be a positive number of seconds.";
    }

    public TimeSpan AcquireTimeout => TimeSpan.FromSeconds(AcquireTimeoutSeconds);
    public TimeSpan HealthCheckInterval => TimeSpan.FromSeconds(HealthCheckIntervalSeconds);
    public TimeSpan HealthCheckTimeout => TimeSpan.FromSeconds(HealthCheckTimeoutSeconds);
    public TimeSpan SpareIdleTimeout => TimeSpan.FromSeconds(SpareIdleTimeoutSeconds);
    public TimeSpan DrainTimeout => TimeSpan.FromSeconds(DrainTimeoutSeconds);
}
