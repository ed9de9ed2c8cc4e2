using MatlabMcp.Configuration;
using MatlabMcp.Jobs;
using MatlabMcp.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace MatlabMcp.Tests.Jobs;

/// <summary>The audit table on a real SQLite file: rows, filters and retention.</summary>
public sealed class AuditLogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("audit-").FullName;
    private readonly ShiftedTime _time = new();
    private readonly AuditStore _store;
    private readonly AuditLog _log;

    public AuditLogTests()
    {
        var config = new AppConfig();
        config.Jobs.Database = Path.Combine(_folder, "jobs.db");
        config.Audit.RetentionDays = 90;
        config.Audit.AdminIdentities = ["root"];
        _store = new AuditStore(config, NullLogger<AuditStore>.Instance);
        _log = new AuditLog(_store, config, _time);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Retention_DeletesOnlyRowsOlderThanRetention()
    {
        _log.Record("local", "main", "old = 1;", AuditDecisions.Executed);
        _time.Advance(TimeSpan.FromDays(91));
        _log.Record("local", "main", "recent = 1;", AuditDecisions.Executed);

        Assert.Equal(1, _log.EnforceRetention());

        var row = Assert.Single(_log.Query(new AuditQuery(null, null, null, 10)));
        Assert.Equal("recent = 1;", row.Excerpt);
    }

    [Fact]
    public void Record_KeepsHashAndBoundedExcerpt()
    {
        var code = "disp(1)\n" + new string('%', 5000);
        _log.Record("alice", "s1", code, AuditDecisions.RejectedByPolicy, "blocked-function:system@1:1");

        var row = Assert.Single(_log.Query(new AuditQuery(null, null, null, 10)));
        Assert.Equal(AuditLog.Sha256(code), row.CodeSha256);
        Assert.True(row.Excerpt.Length < AuditLog.ExcerptChars + 40);
        Assert.StartsWith("disp(1)", row.Excerpt);
        Assert.Equal(("alice", "s1", "blocked-function:system@1:1"), (row.Identity, row.Session, row.Detail));
    }

    [Fact]
    public void Query_FiltersByIdentityDecisionSinceAndLimit()
    {
        _log.Record("alice", "main", "a", AuditDecisions.Executed);
        _time.Advance(TimeSpan.FromHours(1));
        var cut = _time.GetUtcNow();
        _log.Record("bob", "main", "b", AuditDecisions.DeniedByPerson);
        _log.Record("alice", "main", "c", AuditDecisions.DeniedByPerson);

        Assert.Equal(["c", "a"], _log.Query(new AuditQuery("alice", null, null, 10)).Select(r => r.Excerpt));
        Assert.Equal(["c", "b"], _log.Query(new AuditQuery(null, null, AuditDecisions.DeniedByPerson, 10)).Select(r => r.Excerpt));
        Assert.Equal(["c", "b"], _log.Query(new AuditQuery(null, cut, null, 10)).Select(r => r.Excerpt));
        Assert.Single(_log.Query(new AuditQuery(null, null, null, 1)));
        Assert.Equal(3, _log.Query(new AuditQuery(null, null, null, 100_000)).Count);
    }

    [Fact]
    public void Outcome_ReachesTheRowWhetherStillQueuedOrWritten()
    {
        _log.Record("alice", "main", "quick", AuditDecisions.Executed, jobId: "job-1");
        _store.SetOutcome("job-1", "completed"); // a quick job: its row is still queued
        _log.Record("alice", "main", "slow", AuditDecisions.Executed, jobId: "job-2");
        Assert.All(_log.Query(new AuditQuery(null, null, null, 10)), r => Assert.Equal(r.JobId == "job-1" ? "completed" : null, r.Outcome));

        _store.SetOutcome("job-2", "cancelled"); // a long job: its row was written long ago

        var rows = _log.Query(new AuditQuery(null, null, null, 10)).ToDictionary(r => r.JobId!, r => r.Outcome);
        Assert.Equal("completed", rows["job-1"]);
        Assert.Equal("cancelled", rows["job-2"]);
    }

    [Fact]
    public void IsAdmin_OnlyConfiguredIdentities()
    {
        Assert.True(_log.IsAdmin("root"));
        Assert.False(_log.IsAdmin("local"));
    }
}
