using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>Durable job records.</summary>
internal sealed class JobOptions : IConfigSection<JobOptions>
{
    /// <summary>SQLite file holding job records; empty means $XDG_STATE_HOME/matlab-mcp/jobs.db (or ~/.local/state/...).</summary>
    [ConfigurationKeyName("database")] public string Database { get; set; } = "";

    /// <summary>Hours a finished job's record and result are kept.</summary>
    [ConfigurationKeyName("retention_hours")] public double RetentionHours { get; set; } = 168;

    /// <summary>Queued or running jobs one identity may have at once.</summary>
    [ConfigurationKeyName("max_active_per_identity")] public int MaxActivePerIdentity { get; set; } = 16;

    public IEnumerable<string> Validate()
    {
        if (RetentionHours <= 0)
            yield return "jobs.retention_hours must be a positive number of hours.";
        if (MaxActivePerIdentity < 1)
            yield return "jobs.max_active_per_identity must be at least 1.";
    }

    public TimeSpan Retention => TimeSpan.FromHours(RetentionHours);

    public string DatabasePath
    {
        get
        {
            if (Database.Length > 0)
                return Database;
            var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
            return Path.Combine(state, "matlab-mcp", "jobs.db");
        }
    }
}
