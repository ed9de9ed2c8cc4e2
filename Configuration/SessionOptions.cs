using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>Named workspaces and their limits.</summary>
internal sealed class SessionOptions : IConfigSection<SessionOptions>
{
    /// <summary>Sessions one identity may hold at once.</summary>
    [ConfigurationKeyName("max_per_identity")] public int MaxPerIdentity { get; set; } = 4;

    /// <summary>Sessions the whole server may hold at once.</summary>
    [ConfigurationKeyName("max_total")] public int MaxTotal { get; set; } = 32;

    /// <summary>Seconds since a session's last activity after which it is closed (engine stopped, folder removed).</summary>
    [ConfigurationKeyName("idle_timeout")] public double IdleTimeoutSeconds { get; set; } = 3600;

    public IEnumerable<string> Validate()
    {
        if (MaxPerIdentity < 1)
            yield return "sessions.max_per_identity must be at least 1.";
        if (MaxTotal < MaxPerIdentity)
            yield return $"sessions.max_total ({MaxTotal}) must be at least sessions.max_per_identity ({MaxPerIdentity}).";
        if (IdleTimeoutSeconds <= 0)
            yield return "sessions.idle_timeout must be a positive number of seconds.";
    }

    public TimeSpan IdleTimeout => TimeSpan.FromSeconds(IdleTimeoutSeconds);
}
