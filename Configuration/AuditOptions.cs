using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>The audit log of execution attempts (kept in the jobs database file, table <c>audit</c>).</summary>
internal sealed class AuditOptions : IConfigSection<AuditOptions>
{
    /// <summary>Days an audit row is kept; older rows are deleted hourly.</summary>
    [ConfigurationKeyName("retention_days")] public double RetentionDays { get; set; } = 90;

    /// <summary>The admins when none are configured: the stdio user.</summary>
    public static IReadOnlyList<string> DefaultAdminIdentities { get; } = ["local"];

    /// <summary>
    /// Identities allowed to read the audit log with query_audit ("local" is the stdio user). Null (not configured):
    /// <see cref="DefaultAdminIdentities"/> (null because the binder appends to a list already there).
    /// </summary>
    [ConfigurationKeyName("admin_identities")] public string[]? AdminIdentities { get; set; }

    /// <summary>The admins in force: the configured ones, or the default.</summary>
    public IReadOnlyList<string> EffectiveAdminIdentities => AdminIdentities ?? DefaultAdminIdentities;

    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);

    public IEnumerable<string> Validate()
    {
        if (RetentionDays <= 0)
            yield return "audit.retention_days must be a positive number of days.";
    }
}
