using MatlabMcp.Configuration;
using MatlabMcp.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MatlabMcp.Tests.Jobs;

/// <summary>The audit table on a real SQLite file: rows, filters and retention.</summary>
public sealed class AuditLogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("audit-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly AuditStore _store;
    private readonly AuditLog _log;

    public AuditLogTests()
    {
        var config = new AppConfig();
        config.Jobs.Database = Path.Combine(_folder, "jobs.db");
        config.Audit.RetentionDays = 90;
        config.Audit.AdminIdentities = ["root"];
        _store = new AuditStore(Options.Create(config.Jobs), NullLogger<AuditStore>.Instance);
        _log = new AuditLog(_store, Options.Create(config.Audit), _time);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task Retention_DeletesOnlyRowsOlderThanRetention()
    {
        _log.Record("local", "main", "old = 1;", AuditDecisions.Executed);
        _time.Advance(TimeSpan.FromDays(91));
        _log.Record("local", "main", "recent = 1;", AuditDecisions.Executed);

        await Assert.That(_log.EnforceRetention()).IsEqualTo(1);

        var row = await Assert.That(_log.Query(new AuditQuery(null, null, null, 10))).HasSingleItem();
        await Assert.That(row.Excerpt).IsEqualTo("recent = 1;");
    }

    [Test]
    public async Task Record_KeepsHashAndBoundedExcerpt()
    {
        var code = "disp(1)\n" + new string('%', 5000);
        _log.Record("alice", "s1", code, AuditDecisions.RejectedByPolicy, "blocked-function:system@1:1");

        var row = await Assert.That(_log.Query(new AuditQuery(null, null, null, 10))).HasSingleItem();
        await Assert.That(row.CodeSha256).IsEqualTo(AuditLog.Sha256(code));
        await Assert.That(row.Excerpt.Length < AuditLog.ExcerptChars + 40).IsTrue();
        await Assert.That(row.Excerpt).StartsWith("disp(1)");
        await Assert.That((row.Identity, row.Session, row.Detail)).IsEqualTo(("alice", "s1", "blocked-function:system@1:1"));
    }

    [Test]
    public async Task Query_FiltersByIdentityDecisionSinceAndLimit()
    {
        _log.Record("alice", "main", "a", AuditDecisions.Executed);
        _time.Advance(TimeSpan.FromHours(1));
        var cut = _time.GetUtcNow();
        _log.Record("bob", "main", "b", AuditDecisions.DeniedByPerson);
        _log.Record("alice", "main", "c", AuditDecisions.DeniedByPerson);

        await Assert.That(_log.Query(new AuditQuery("alice", null, null, 10)).Select(r => r.Excerpt)).IsEquivalentTo(["c", "a"], CollectionOrdering.Matching);
        await Assert.That(_log.Query(new AuditQuery(null, null, AuditDecisions.DeniedByPerson, 10)).Select(r => r.Excerpt)).IsEquivalentTo(["c", "b"], CollectionOrdering.Matching);
        await Assert.That(_log.Query(new AuditQuery(null, cut, null, 10)).Select(r => r.Excerpt)).IsEquivalentTo(["c", "b"], CollectionOrdering.Matching);
        await Assert.That(_log.Query(new AuditQuery(null, null, null, 1))).HasSingleItem();
        await Assert.That(_log.Query(new AuditQuery(null, null, null, 100_000)).Count).IsEqualTo(3);
    }

    [Test]
    public async Task Outcome_ReachesTheRowWhetherStillQueuedOrWritten()
    {
        _log.Record("alice", "main", "quick", AuditDecisions.Executed, jobId: "job-1");
        _store.SetOutcome("job-1", "completed"); // a quick job: its row is still queued
        _log.Record("alice", "main", "slow", AuditDecisions.Executed, jobId: "job-2");
        foreach (var r in _log.Query(new AuditQuery(null, null, null, 10)))
            await Assert.That(r.Outcome).IsEqualTo(r.JobId == "job-1" ? "completed" : null);

        _store.SetOutcome("job-2", "cancelled"); // a long job: its row was written long ago

        var rows = _log.Query(new AuditQuery(null, null, null, 10)).ToDictionary(r => r.JobId!, r => r.Outcome);
        await Assert.That(rows["job-1"]).IsEqualTo("completed");
        await Assert.That(rows["job-2"]).IsEqualTo("cancelled");
    }

    [Test]
    public async Task IsAdmin_OnlyConfiguredIdentities()
    {
        await Assert.That(_log.IsAdmin("root")).IsTrue();
        await Assert.That(_log.IsAdmin("local")).IsFalse();
    }
}
