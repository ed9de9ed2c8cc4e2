using System.Globalization;
using MatlabMcp.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Jobs;

/// <summary>What happened to one execution attempt, as the audit log keeps it.</summary>
internal static class AuditDecisions
{
    public const string Executed = "executed";
    public const string RejectedByPolicy = "rejected_by_policy";
    public const string Rejected = "rejected"; // bad input, limits, shutting down: refused before any check of the code
    public const string DeniedByPerson = "denied_by_person";
    public const string ApprovalUnanswered = "approval_unanswered";
    public const string ApprovalUnsupported = "approval_unsupported";

    public static IReadOnlyList<string> All { get; } =
        [Executed, RejectedByPolicy, Rejected, DeniedByPerson, ApprovalUnanswered, ApprovalUnsupported];
}

/// <summary>One audit row. <see cref="Outcome"/> is the job's final state, filled in when it finishes.</summary>
internal sealed record AuditEntry(long Id, DateTimeOffset At, string Identity, string Session, string CodeSha256, string Excerpt,
    string Decision, string? Detail, string? JobId, string? Outcome);

/// <summary>Filters of an audit query; null means "any".</summary>
internal sealed record AuditQuery(string? Identity, DateTimeOffset? Since, string? Decision, int Limit);

/// <summary>
/// The <c>audit</c> table, in its own SQLite file (WAL) beside the jobs database: two connections writing one
/// file made concurrent calls queue in SQLite's busy handler (4 busy sessions fell to ~130 calls/s).
/// </summary>
internal sealed class AuditStore : IDisposable
{
    private readonly SqliteFile _file;

    /// <summary><c>jobs.db</c> → <c>jobs.audit.db</c>: unique per job database, in the same (engine-hidden) folder.</summary>
    public static string AuditPath(JobOptions jobs) => Path.ChangeExtension(jobs.DatabasePath, ".audit.db");

    public AuditStore(IOptions<JobOptions> jobs, ILogger<AuditStore> logger) => _file = new SqliteFile(AuditPath(jobs.Value), """
        CREATE TABLE IF NOT EXISTS audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, identity TEXT NOT NULL, session TEXT NOT NULL,
            code_sha256 TEXT NOT NULL, excerpt TEXT NOT NULL, decision TEXT NOT NULL, detail TEXT, job_id TEXT,
            outcome TEXT);
        CREATE INDEX IF NOT EXISTS audit_by_time ON audit (at);
        CREATE INDEX IF NOT EXISTS audit_by_identity ON audit (identity, at);
        CREATE INDEX IF NOT EXISTS audit_by_job ON audit (job_id) WHERE job_id IS NOT NULL;
        """, logger);

    /// <summary>Adds a row (written behind, see <see cref="SqliteFile"/>).</summary>
    public void Add(AuditEntry entry) => _file.Defer("""
        INSERT INTO audit (at, identity, session, code_sha256, excerpt, decision, detail, job_id, outcome)
        VALUES ($at, $identity, $session, $sha, $excerpt, $decision, $detail, $job, $outcome)
        """,
        [
            ("$at", Stamp(entry.At)), ("$identity", entry.Identity), ("$session", entry.Session), ("$sha", entry.CodeSha256),
            ("$excerpt", entry.Excerpt), ("$decision", entry.Decision), ("$detail", entry.Detail), ("$job", entry.JobId),
            ("$outcome", entry.Outcome),
        ], key: entry.JobId is { } job ? RowOf(job) : null);

    /// <summary>Fills in the final state of the row of <paramref name="jobId"/>: in the queued row if it is not written yet.</summary>
    public void SetOutcome(string jobId, string outcome)
    {
        if (!_file.TryAmend(RowOf(jobId), "$outcome", outcome))
            _file.Defer("UPDATE audit SET outcome = $outcome WHERE job_id = $job", [("$outcome", outcome), ("$job", jobId)]);
    }

    private static string RowOf(string jobId) => "job:" + jobId;

    /// <summary>Newest first.</summary>
    /// <remarks>
    /// Two statements, not "$identity IS NULL OR identity = $identity": SQLite plans a statement once, and with
    /// the OR it never picks audit_by_identity, so one user's rows would be found by walking everyone's.
    /// </remarks>
    public IReadOnlyList<AuditEntry> Query(AuditQuery query) => _file.Query(query.Identity is null ? QueryAll : QueryByIdentity, Read,
        ("$identity", query.Identity), ("$since", query.Since is { } since ? Stamp(since) : null),
        ("$decision", query.Decision), ("$limit", query.Limit));

    private const string QueryFilters = """
        ($since IS NULL OR at >= $since) AND ($decision IS NULL OR decision = $decision)
        ORDER BY at DESC, id DESC LIMIT $limit
        """;

    private const string QueryAll = "SELECT * FROM audit WHERE " + QueryFilters;
    private const string QueryByIdentity = "SELECT * FROM audit WHERE identity = $identity AND " + QueryFilters;

    /// <summary>Deletes rows older than the cutoff; returns how many.</summary>
    public int DeleteBefore(DateTimeOffset cutoff) => _file.Execute("DELETE FROM audit WHERE at < $cutoff", ("$cutoff", Stamp(cutoff)));

    private static AuditEntry Read(SqliteDataReader row)
    {
        string? Text(string column) => SqliteFile.Text(row, column);
        return new AuditEntry(row.GetInt64(row.GetOrdinal("id")),
            DateTimeOffset.Parse(Text("at")!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            Text("identity")!, Text("session")!, Text("code_sha256")!, Text("excerpt")!, Text("decision")!, Text("detail"),
            Text("job_id"), Text("outcome"));
    }

    // Fixed-width UTC stamps compare correctly as text, which the range filters rely on.
    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    public void Dispose() => _file.Dispose();
}
