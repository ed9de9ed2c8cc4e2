namespace MatlabMcp.Pool;

/// <summary>
/// Finds and kills the processes an engine's code started (a background <c>system('sleep 300 &amp;')</c>, a server it
/// launched), by the strongest handle there is. Sandboxed: the engine's pid namespace, which nothing can leave, so
/// the match is exact. Unsandboxed: the engine's session (the launcher ran setsid), its descendants, and, when the
/// engine has a uid of its own, every process of that uid, which also finds a child that left the session and was
/// re-parented away.
/// </summary>
internal static class EngineProcesses
{
    private const int MaxRounds = 200;

    /// <summary>The server's own pid namespace and session: never swept, and read once (they do not change).</summary>
    private static readonly string? ServerNamespace = PidNamespace(Environment.ProcessId);
    private static readonly int? ServerSession = Stat(Environment.ProcessId)?.Session;

    /// <summary>The engine's processes: its pid, whether it is sandboxed, and its own uid (null when shared).</summary>
    public readonly record struct Scope(int EnginePid, bool Sandboxed, int? Uid);

    /// <summary>Kills everything the engine started, keeping the engine and its launcher chain; the number killed.</summary>
    public static int KillChildren(Scope scope)
    {
        var keep = Ancestry(scope.EnginePid);
        var ns = scope.Sandboxed ? PidNamespace(scope.EnginePid) : null;
        // The engine is gone (its namespace went with it), or the pid is not inside the sandbox after all: the
        // server's own namespace holds every process on the host, so never sweep that.
        if (scope.Sandboxed && (ns is null || ns == ServerNamespace))
            return 0;
        var session = IsOwnSession(scope.EnginePid) ? scope.EnginePid : -1;
        var uid = SweepableUid(scope.Uid);
        return Sweep(p => !keep.Contains(p.Pid) && (ns is not null
            ? PidNamespace(p.Pid) == ns
            : p.Session == session || p.DescendsFrom(scope.EnginePid) || (uid is not null && RealUid(p.Pid) == uid)));
    }

    /// <summary>True when the engine leads a session of its own (the launcher's setsid), not one it shares with the server.</summary>
    private static bool IsOwnSession(int enginePid) =>
        Stat(enginePid) is { Session: var session } && session == enginePid && ServerSession != session;

    /// <summary>Only an engine's own uid is swept: never root's, nor the server's.</summary>
    private static int? SweepableUid(int? uid) => uid is > 0 && uid != Native.EffectiveUserId() ? uid : null;

    /// <summary>
    /// After the engine ended, unsandboxed: kills what is left in its session. (Sandboxed, the namespace died with it;
    /// a uid of its own is swept when its <see cref="Security.EngineAccount"/> is released.)
    /// </summary>
    public static int KillRemains(Scope scope) =>
        scope.Sandboxed || ServerSession == scope.EnginePid ? 0 : Sweep(p => p.Session == scope.EnginePid);

    /// <summary>Every process of a uid (a stale engine of a crashed server, before the uid is used again).</summary>
    public static int KillUid(int uid) =>
        SweepableUid(uid) is null ? 0 : Sweep(p => p.Pid != Environment.ProcessId && RealUid(p.Pid) == uid);

    /// <summary>Kills matching live processes, scanning again until none is left: a killed shell may have just forked.</summary>
    private static int Sweep(Func<ProcessEntry, bool> matches)
    {
        var killed = new HashSet<int>();
        for (var round = 0; round < MaxRounds; round++)
        {
            var table = Table();
            var found = false;
            foreach (var entry in table.Values)
            {
                if (entry.State == 'Z' || !matches(entry))
                    continue;
                found = true;
                if (Native.KillNow(entry.Pid))
                    killed.Add(entry.Pid);
            }
            if (!found)
                break;
            Thread.Yield(); // let the killed processes exit before looking again
        }
        return killed.Count;
    }

    /// <summary>The engine and every process above it (its namespace's init, the launcher): never killed as a child.</summary>
    private static HashSet<int> Ancestry(int pid)
    {
        var chain = new HashSet<int>();
        for (var current = pid; current > 1 && chain.Add(current);)
            current = Stat(current)?.Parent ?? 0;
        return chain;
    }

    private static Dictionary<int, ProcessEntry> Table()
    {
        var table = new Dictionary<int, ProcessEntry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != Environment.ProcessId && Stat(pid) is { } stat)
                table[pid] = new ProcessEntry(pid, stat.Parent, stat.Session, stat.State, table);
        return table;
    }

    private static (int Parent, int Session, char State)? Stat(int pid)
    {
        var text = Native.ReadProc(pid, "stat");
        var end = text?.LastIndexOf(')') ?? -1; // the command name may itself hold spaces and parentheses
        if (end < 0)
            return null;
        var fields = text![(end + 2)..].Split(' ');
        return fields.Length > 4 && int.TryParse(fields[1], out var parent) && int.TryParse(fields[3], out var session)
            ? (parent, session, fields[0][0]) : null;
    }

    private static int RealUid(int pid)
    {
        foreach (var line in (Native.ReadProc(pid, "status") ?? "").Split('\n'))
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
                return int.TryParse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], out var uid) ? uid : -1;
        return -1;
    }

    private static string? PidNamespace(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/pid").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record ProcessEntry(int Pid, int Parent, int Session, char State, Dictionary<int, ProcessEntry> Table)
    {
        public bool DescendsFrom(int ancestor)
        {
            var current = this;
            for (var depth = 0; depth < 64 && current is not null; depth++)
            {
                if (current.Parent == ancestor)
                    return true;
                current = Table.GetValueOrDefault(current.Parent);
            }
            return false;
        }
    }
}
