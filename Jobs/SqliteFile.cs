using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace MatlabMcp.Jobs;

/// <summary>
/// One SQLite file behind one connection (WAL, NORMAL sync), used under a lock. After disposal every call
/// is a quiet no-op: work finishing during shutdown must not throw. Shared by the job and audit stores.
/// </summary>
/// <remarks>
/// Writes are behind: <see cref="Defer"/> queues them and a writer thread commits whatever gathered in
/// <see cref="BatchWindow"/>, in one transaction. Four transactions per call (job row, its end, audit row, its
/// outcome) were a fifth of the server's CPU under load; a quick call now costs two rows in a shared
/// transaction. The window trades CPU for exposure: 5 ms still left the writers a sixth of the server's CPU under
/// HTTP load (each commit writes every touched page to the WAL), 20 ms cut the server's CPU per call by a tenth.
/// Every read writes the queue first, so readers never see the past. The price: a kill -9 of the server loses
/// the rows of its last 20 ms (a normal stop writes them).
/// </remarks>
internal sealed partial class SqliteFile : IDisposable
{
    /// <summary>How long the writer lets writes gather before it commits them.</summary>
    internal static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(20);

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new(); // the connection
    private readonly Lock _queueLock = new(); // the queue; never held while waiting for _lock
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0); // spinning here cost more CPU than the writes
    private List<PendingWrite> _queue = [];
    private Dictionary<string, PendingWrite> _queuedByKey = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    public SqliteFile(string path, string schema, ILogger logger)
    {
        _logger = logger;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;\n" + schema);
        new Thread(WriteBehind) { IsBackground = true, Name = $"sqlite {Path.GetFileName(path)}" }.Start();
    }

    /// <summary>
    /// Queues a write. A queued write with the same <paramref name="key"/> is replaced instead (an upsert of the
    /// same row: only its last state matters).
    /// </summary>
    public void Defer(string sql, (string Name, object? Value)[] parameters, string? key = null)
    {
        if (_disposed)
            return; // work finishing during shutdown
        lock (_queueLock)
        {
            if (key is not null && _queuedByKey.TryGetValue(key, out var queued))
            {
                queued.Sql = sql;
                queued.Parameters = parameters;
                return;
            }
            var write = new PendingWrite(sql, parameters);
            _queue.Add(write);
            if (key is not null)
                _queuedByKey[key] = write;
            if (_queue.Count == 1)
                _wake.Set();
        }
    }

    /// <summary>Sets one parameter of the still-queued write with this key; false if it is written (or was never queued).</summary>
    public bool TryAmend(string key, string name, object? value)
    {
        lock (_queueLock)
        {
            if (!_queuedByKey.TryGetValue(key, out var queued))
                return false;
            var parameters = queued.Parameters.ToArray();
            var index = Array.FindIndex(parameters, p => p.Name == name);
            if (index < 0)
                return false;
            parameters[index] = (name, value);
            queued.Parameters = parameters;
            return true;
        }
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_lock)
        {
            if (_disposed)
                return 0;
            WriteQueue();
            return Command(sql, parameters, null).ExecuteNonQuery();
        }
    }

    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        lock (_lock)
        {
            if (_disposed)
                return [];
            WriteQueue();
            using var reader = Command(sql, parameters, null).ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
                rows.Add(read(reader));
            return rows;
        }
    }

    /// <summary>A column as text, or null.</summary>
    public static string? Text(SqliteDataReader row, string column)
    {
        var ordinal = row.GetOrdinal(column);
        return row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
    }

    private void WriteBehind()
    {
        while (true)
        {
            _wake.Wait();
            _wake.Reset(); // before taking the queue: a write queued after that sets it again
#pragma warning disable RS0030 // this dedicated writer thread waits on purpose: the rest of this moment's writes join the transaction
            Thread.Sleep(BatchWindow);
#pragma warning restore RS0030
            lock (_lock)
            {
                if (_disposed)
                    return;
                WriteQueue();
            }
        }
    }

    /// <summary>Commits the queue in one transaction; on failure, write by write, so one bad row costs only itself.</summary>
    private void WriteQueue()
    {
        List<PendingWrite> batch;
        lock (_queueLock)
        {
            if (_queue.Count == 0)
                return;
            batch = _queue;
            _queue = [];
            _queuedByKey = new(StringComparer.Ordinal);
        }
        try
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var write in batch)
                Command(write.Sql, write.Parameters, transaction).ExecuteNonQuery();
            transaction.Commit();
            return;
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
            LogBatchFailed(_logger, batch.Count, e.Message);
        }
        foreach (var write in batch)
        {
            try
            {
                Command(write.Sql, write.Parameters, null).ExecuteNonQuery();
            }
            catch (Exception e) when (e is SqliteException or InvalidOperationException)
            {
                // A record, not a gate: a full disk must not stop the server, but it must be loud.
                LogWriteFailed(_logger, write.Sql.Split('(', 2)[0].Trim(), e);
            }
        }
    }

    /// <summary>A prepared command per statement text, reused: re-parsing the SQL showed in every write's profile.</summary>
    private SqliteCommand Command(string sql, (string Name, object? Value)[] parameters, SqliteTransaction? transaction)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Transaction = transaction;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            WriteQueue();
            _disposed = true;
            foreach (var command in _commands.Values)
                command.Dispose();
            _connection.Dispose();
        }
        _wake.Set(); // the writer sees _disposed and ends
    }

    private sealed class PendingWrite(string sql, (string Name, object? Value)[] parameters)
    {
        public string Sql { get; set; } = sql;
        public (string Name, object? Value)[] Parameters { get; set; } = parameters;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "sqlite: a batch of {Count} writes failed ({Reason}); writing them one by one")]
    private static partial void LogBatchFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "sqlite: could not write ({Statement})")]
    private static partial void LogWriteFailed(ILogger logger, string statement, Exception exception);
}
