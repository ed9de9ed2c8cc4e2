using MatlabMcp.Configuration;

namespace MatlabMcp.Security;

/// <summary>
/// Hands each live engine a uid (and the same gid) of its own from sandbox.engine_uid_range, so RLIMIT_NPROC, which the
/// kernel counts per user, is a budget per engine: one session exhausting it cannot stop another from starting.
/// A uid is held through a lock file (flock, released by the kernel even if the server is killed), so two servers
/// sharing the range never hand out the same uid; it is taken round-robin, and every process still running as it
/// is killed before it is used again.
/// </summary>
internal sealed class EngineUids
{
    private readonly int _first;
    private readonly int _count;
    private readonly string _lockFolder;
    private readonly Lock _lock = new();
    private readonly HashSet<int> _held = [];
    private int _next;

    private EngineUids(int first, int count, string lockFolder)
    {
        _first = first;
        _count = count;
        _lockFolder = lockFolder;
    }

    public int First => _first;
    public int Last => _first + _count - 1;

    /// <summary>The allocator for sandbox.engine_uid_range, after checking no user, group or subordinate range owns it.</summary>
    public static EngineUids Create(SandboxOptions options, int maxEngines)
    {
        if (!SandboxOptions.TryParseUidRange(options.EngineUidRange, out var first, out var last))
            throw new ConfigException($"sandbox.engine_uid_range '{options.EngineUidRange}' must look like \"2100000000-2100000999\".");
        var count = last - first + 1;
        if (count < maxEngines)
            throw new ConfigException($"sandbox.engine_uid_range holds {count} uids, fewer than pool.max_engines ({maxEngines}): widen it.");
        foreach (var (file, owner, low, high) in Claims())
            if (low <= last && high >= first)
                throw new ConfigException($"sandbox.engine_uid_range {first}-{last} overlaps ids of '{owner}' in {file}: " +
                    "engines would share that account's processes and files. Pick a range no user, group or subordinate-id range uses.");
        var folder = Path.Combine(Directory.Exists("/run") ? "/run" : Path.GetTempPath(), "matlab-mcp-engine-uids");
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new EngineUids(first, count, folder);
    }

    /// <summary>
    /// A free uid, <paramref name="preferred"/> when it is free (a restarted engine keeps its session's owner, so no file
    /// changes hands), or null when every uid in the range is taken.
    /// </summary>
    public EngineAccount? Allocate(int? preferred)
    {
        EngineAccount? account = null;
        lock (_lock)
        {
            var candidates = Enumerable.Range(0, _count).Select(i => _first + (_next + i) % _count);
            if (preferred is { } p && p >= _first && p <= Last)
                candidates = candidates.Prepend(p);
            foreach (var uid in candidates)
            {
                if (_held.Contains(uid) || TryLock(uid) is not { } lockFile)
                    continue;
                _held.Add(uid);
                if (uid != preferred)
                    _next = (uid - _first + 1) % _count;
                account = new EngineAccount(uid, lockFile, this);
                break;
            }
        }
        // Left over from a server that was killed while holding it. Outside the lock: the uid is ours alone now (held
        // and flocked), and a /proc sweep must not hold up other engines' starts.
        if (account is not null)
            ProcessTable.KillUid(account.Uid);
        return account;
    }

    internal void Release(int uid)
    {
        lock (_lock)
            _held.Remove(uid);
    }

    private FileStream? TryLock(int uid)
    {
        try
        {
            // FileShare.None takes an exclusive flock on Unix: another server holding this uid makes the open fail.
            return new FileStream(Path.Combine(_lockFolder, uid.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Ids already owned on this machine: users, groups, and subordinate id ranges (rootless containers).</summary>
    private static IEnumerable<(string File, string Owner, long Low, long High)> Claims()
    {
        foreach (var file in new[] { "/etc/passwd", "/etc/group" })
            foreach (var fields in Lines(file))
                if (fields.Length > 2 && long.TryParse(fields[2], out var id))
                    yield return (file, fields[0], id, id);
        foreach (var file in new[] { "/etc/subuid", "/etc/subgid" })
            foreach (var fields in Lines(file))
                if (fields.Length > 2 && long.TryParse(fields[1], out var start) && long.TryParse(fields[2], out var size))
                    yield return (file, fields[0], start, start + size - 1);
    }

    private static IEnumerable<string[]> Lines(string file) =>
        File.Exists(file) ? File.ReadLines(file).Select(line => line.Split(':')) : [];
}

/// <summary>One engine's uid (gid alike) and the lock that holds it; disposing frees it for the next engine.</summary>
internal sealed class EngineAccount(int uid, FileStream lockFile, EngineUids owner) : IDisposable
{
    private int _disposed;

    public int Uid { get; } = uid;
    public int Gid => Uid;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        // Nothing may still run as this uid when the next engine gets it: it would start with part of its budget used.
        ProcessTable.KillUid(Uid);
        lockFile.Dispose();
        owner.Release(Uid);
    }
}
