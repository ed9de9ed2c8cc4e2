using MatlabMcp.Jobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace MatlabMcp.Tests.Jobs;

/// <summary>Write-behind on a real SQLite file: what is queued is read back, committed soon, merged by key, and never lost to a neighbour's bad row.</summary>
public sealed class SqliteFileTests : IDisposable
{
    private const string Schema = "CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v TEXT NOT NULL);";
    private const string Upsert = "INSERT INTO t (k, v) VALUES ($k, $v) ON CONFLICT (k) DO UPDATE SET v = $v";
    private readonly string _folder = Directory.CreateTempSubdirectory("sqlitefile-").FullName;
    private readonly string _path;
    private readonly SqliteFile _file;

    public SqliteFileTests()
    {
        _path = Path.Combine(_folder, "t.db");
        _file = new SqliteFile(_path, Schema, NullLogger.Instance);
    }

    public void Dispose()
    {
        _file.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task Read_SeesWritesStillQueued()
    {
        _file.Defer(Upsert, [("$k", "a"), ("$v", "1")]);

        await Assert.That(Rows()).IsEquivalentTo(["a=1"], CollectionOrdering.Matching);
    }

    [Test]
    public async Task QueuedWrites_AreCommittedWithoutAnyRead()
    {
        _file.Defer(Upsert, [("$k", "a"), ("$v", "1")]);

        // Another connection (another process, or the file after a crash) sees the row within moments.
        var seen = false;
        for (var i = 0; i < 200 && !seen; i++)
        {
            await Task.Delay(10);
            seen = CountFromOutside() == 1;
        }
        await Assert.That(seen).IsTrue().Because("the queued write was not committed within 2 s");
    }

    [Test]
    public async Task SameKey_LaterWriteReplacesQueuedOne()
    {
        _file.Defer(Upsert, [("$k", "a"), ("$v", "queued")], key: "a");
        _file.Defer(Upsert, [("$k", "a"), ("$v", "finished")], key: "a");
        _file.Defer(Upsert, [("$k", "b"), ("$v", "other")], key: "b");

        await Assert.That(Rows()).IsEquivalentTo(["a=finished", "b=other"], CollectionOrdering.Matching);
    }

    [Test]
    public async Task TryAmend_ChangesQueuedWrite_FailsOnceWritten()
    {
        _file.Defer(Upsert, [("$k", "a"), ("$v", "1")], key: "a");
        await Assert.That(_file.TryAmend("a", "$v", "2")).IsTrue();
        await Assert.That(_file.TryAmend("a", "$nope", "3")).IsFalse();
        await Assert.That(Rows()).IsEquivalentTo(["a=2"], CollectionOrdering.Matching); // the read wrote the queue

        await Assert.That(_file.TryAmend("a", "$v", "4")).IsFalse();
        await Assert.That(Rows()).IsEquivalentTo(["a=2"], CollectionOrdering.Matching);
    }

    [Test]
    public async Task BadWrite_CostsOnlyItself()
    {
        _file.Defer(Upsert, [("$k", "a"), ("$v", "1")]);
        _file.Defer(Upsert, [("$k", "bad"), ("$v", null)]); // v is NOT NULL: this one fails
        _file.Defer(Upsert, [("$k", "c"), ("$v", "3")]);

        await Assert.That(Rows()).IsEquivalentTo(["a=1", "c=3"], CollectionOrdering.Matching);
    }

    [Test]
    public async Task Dispose_WritesTheQueue_LaterWritesAreQuietNoOps()
    {
        _file.Defer(Upsert, [("$k", "a"), ("$v", "1")]);
        _file.Dispose();
        _file.Defer(Upsert, [("$k", "b"), ("$v", "2")]);

        await Assert.That(CountFromOutside()).IsEqualTo(1);
        await Assert.That(_file.Query("SELECT k FROM t", r => r.GetString(0))).IsEmpty();
    }

    private List<string> Rows() => _file.Query("SELECT k, v FROM t ORDER BY k", r => $"{r.GetString(0)}={r.GetString(1)}");

    private long CountFromOutside()
    {
        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM t";
        return (long)command.ExecuteScalar()!;
    }
}
