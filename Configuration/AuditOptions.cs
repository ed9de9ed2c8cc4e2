namespace MatlabMcp.Configuration;

/// <summary>The audit log of execution attempts (kept in the jobs database file, table <c>audit</c>).</summary>
internal sealed class AuditOptions : IConfigSection<AuditOptions>
{
    string IConfigSection.Name => "audit";

    /// <summary>Days an audit row is kept; older rows are deleted hourly.</summary>
    [ConfigKey("retention_days")] public double RetentionDays { get; set; } = 90;

    /// <summary>Identities allowed to read the audit log with query_audit ("local" is the stdio user).</summary>
    [ConfigKey("admin_identities")] public string[] AdminIdentities { get; set; } = ["local"];

    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);

    public IEnumerable<string> Validate()
    {
        if (RetentionDays <= 0)
            yield return "audit.retention_days must be a positive number of days.";
    }
}
