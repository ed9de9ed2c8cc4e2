using System.Globalization;
using System.Text.Json;
using MatlabMcp.Configuration;
using MatlabMcp.Output;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Jobs;

/// <summary>
/// Job records in SQLite (WAL), so results outlive the server. At open, jobs a previous server left
/// queued or running are marked <see cref="JobState.Lost"/>: nobody is running them any more.
/// </summary>
internal sealed class JobStore : IDisposable
{
    private readonly SqliteFile _file;

    public JobStore(IOptions<JobOptions> options, TimeProvider time, ILogger<JobStore> logger)
    {
        _file = new SqliteFile(options.Value.DatabasePath, """
            CREATE TABLE IF NOT EXISTS jobs (
                id TEXT PRIMARY KEY, owner TEXT NOT NULL, session TEXT NOT NULL, code TEXT NOT NULL,
                state TEXT NOT NULL, created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,
                result TEXT, error TEXT);
            CREATE INDEX IF NOT EXISTS jobs_by_owner ON jobs (owner, created_at);
            """, logger);
        LostAtStart = _file.Execute("""
            UPDATE jobs SET state = 'lost', finished_at = $now,
                error = 'The server stopped while this job was running, so its result is unknown. Run the code again.'
            WHERE state IN ('queued', 'running');
            """, ("$now", Stamp(time.GetUtcNow())));
    }

    /// <summary>How many jobs were found orphaned (and marked lost) when the store opened.</summary>
    public int LostAtStart { get; }

    /// <summary>Records the job's current state (written behind: a quick job's start and end become one row write).</summary>
    public void Save(JobRecord job) => _file.Defer("""
        INSERT INTO jobs (id, owner, session, code, state, created_at, started_at, finished_at, result, error)
        VALUES ($id, $owner, $session, $code, $state, $created, $started, $finished, $result, $error)
        ON CONFLICT (id) DO UPDATE SET state = $state, started_at = $started, finished_at = $finished,
            result = $result, error = $error;
        """,
        [
            ("$id", job.Id), ("$owner", job.Owner), ("$session", job.Session), ("$code", job.Code),
            ("$state", job.State.Name()), ("$created", Stamp(job.CreatedAt)), ("$started", Stamp(job.StartedAt)),
            ("$finished", Stamp(job.FinishedAt)),
            ("$result", job.Result is null ? null : JsonSerializer.Serialize(job.Result, AppJson.Default.ExecutionReport)),
            ("$error", job.Error),
        ], key: job.Id);

    /// <summary>The owner's job, or null: another identity's job is indistinguishable from a missing one.</summary>
    public JobRecord? Find(string owner, string id) =>
        _file.Query("SELECT * FROM jobs WHERE id = $id AND owner = $owner", Read, ("$id", id), ("$owner", owner)).FirstOrDefault();

    /// <summary>The owner's newest jobs, in one state or all.</summary>
    public IReadOnlyList<JobRecord> List(string owner, int limit, JobState? state = null) =>
        _file.Query("SELECT * FROM jobs WHERE owner = $owner AND ($state IS NULL OR state = $state) ORDER BY created_at DESC LIMIT $limit",
            Read, ("$owner", owner), ("$state", state?.Name()), ("$limit", limit));

    /// <summary>How many jobs the owner has, in one state or all.</summary>
    public int Count(string owner, JobState? state = null) =>
        _file.Query("SELECT COUNT(*) AS n FROM jobs WHERE owner = $owner AND ($state IS NULL OR state = $state)",
            row => row.GetInt32(0), ("$owner", owner), ("$state", state?.Name())).Single();

    /// <summary>Deletes finished jobs older than the retention; returns how many.</summary>
    public int DeleteFinishedBefore(DateTimeOffset cutoff) => _file.Execute(
        "DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at < $cutoff", ("$cutoff", Stamp(cutoff)));

    private static JobRecord Read(SqliteDataReader row)
    {
        string? Text(string column) => SqliteFile.Text(row, column);
        var result = Text("result");
        return new JobRecord(Text("id")!, Text("owner")!, Text("session")!, Text("code")!, JobStates.Parse(Text("state")!),
            ParseStamp(Text("created_at"))!.Value, ParseStamp(Text("started_at")), ParseStamp(Text("finished_at")),
            result is null ? null : JsonSerializer.Deserialize(result, AppJson.Default.ExecutionReport), Text("error"));
    }

    private static string? Stamp(DateTimeOffset? at) => at?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseStamp(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public void Dispose() => _file.Dispose();
}
