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

    [Fact]
    public void Read_SeesWritesStillQueued()
    {
        _file.Defer(Upsert, [("$k", "a"), ("$v", "1")]);

        Assert.Equal(["a=1"], Rows());
    }

    [Fact]
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
        Assert.True(seen, "the queued write was not committed within 2 s");
    }

    [Fact]
    public void SameKey_LaterWriteReplacesQueuedOne()
    {
        _file.Defer(Upsert, [("$k", "a"), ("$v", "queued")], key: "a");
        _file.Defer(Upsert, [("$k", "a"), ("$v", "finished")], key: "a");
        _file.Defer(Upsert, [("$k", "b"), ("$v", "other")], key: "b");

        Assert.Equal(["a=finished", "b=other"], Rows());
    }

    [Fact]
    public void TryAmend_ChangesQueuedWrite_FailsOnceWritten()
    {
        _file.Defer(Upsert, [("$k", "a"), ("$v", "1")], key: "a");
        Assert.True(_file.TryAmend("a", "$v", "2"));
        Assert.False(_file.TryAmend("a", "$nope", "3"));
        Assert.Equal(["a=2"], Rows()); // the read wrote the queue

        Assert.False(_file.TryAmend("a", "$v", "4"));
        Assert.Equal(["a=2"], Rows());
    }

    [Fact]
    public void BadWrite_CostsOnlyItself()
    {
        _file.Defer(Upsert, [("$k", "a"), ("$v", "1")]);
        _file.Defer(Upsert, [("$k", "bad"), ("$v", null)]); // v is NOT NULL: this one fails
        _file.Defer(Upsert, [("$k", "c"), ("$v", "3")]);

        Assert.Equal(["a=1", "c=3"], Rows());
    }

    [Fact]
    public void Dispose_WritesTheQueue_LaterWritesAreQuietNoOps()
    {
        _file.Defer(Upsert, [("$k", "a"), ("$v", "1")]);
        _file.Dispose();
        _file.Defer(Upsert, [("$k", "b"), ("$v", "2")]);

        Assert.Equal(1, CountFromOutside());
        Assert.Empty(_file.Query("SELECT k FROM t", r => r.GetString(0)));
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
