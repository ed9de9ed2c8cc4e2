using Microsoft.Data.Sqlite;

namespace MatlabMcp.Jobs;

/// <summary>
/// One SQLite file behind one connection (WAL, NORMAL sync), used under a lock. After disposal every call
/// is a quiet no-op: work finishing during shutdown must not throw. Shared by the job and audit stores.
/// </summary>
internal sealed class SqliteFile : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();
    private bool _disposed;

    public SqliteFile(string path, string schema)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;\n" + schema);
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_lock)
        {
            if (_disposed)
                return 0;
            using var command = Command(sql, parameters);
            return command.ExecuteNonQuery();
        }
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_lock)
        {
            if (_disposed)
                return null;
            using var command = Command(sql, parameters);
            return command.ExecuteScalar();
        }
    }

    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        lock (_lock)
        {
            if (_disposed)
                return [];
            using var command = Command(sql, parameters);
            using var reader = command.ExecuteReader();
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

    private SqliteCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _connection.Dispose();
        }
    }
}
