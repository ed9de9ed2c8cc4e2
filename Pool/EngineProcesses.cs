using MatlabMcp.Security;

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
    /// <summary>The server's own pid namespace and session: never swept, and read once (they do not change).</summary>
    private static readonly string? ServerNamespace = PidNamespace(Environment.ProcessId);
    private static readonly int? ServerSession = ProcessTable.Stat(Environment.ProcessId)?.Session;

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
        var uid = ProcessTable.SweepableUid(scope.Uid);
        return ProcessTable.Sweep(p => !keep.Contains(p.Pid) && (ns is not null
            ? PidNamespace(p.Pid) == ns
            : p.Session == session || p.DescendsFrom(scope.EnginePid) || (uid is not null && ProcessTable.RealUid(p.Pid) == uid)));
    }

    /// <summary>True when the engine leads a session of its own (the launcher's setsid), not one it shares with the server.</summary>
    private static bool IsOwnSession(int enginePid) =>
        ProcessTable.Stat(enginePid) is { Session: var session } && session == enginePid && ServerSession != session;

    /// <summary>
    /// After the engine ended, unsandboxed: kills what is left in its session. (Sandboxed, the namespace died with it;
    /// a uid of its own is swept when its <see cref="EngineAccount"/> is released.)
    /// </summary>
    public static int KillRemains(Scope scope) =>
        scope.Sandboxed || ServerSession == scope.EnginePid ? 0 : ProcessTable.Sweep(p => p.Session == scope.EnginePid);

    /// <summary>The engine and every process above it (its namespace's init, the launcher): never killed as a child.</summary>
    private static HashSet<int> Ancestry(int pid)
    {
        var chain = new HashSet<int>();
        for (var current = pid; current > 1 && chain.Add(current);)
            current = ProcessTable.Stat(current)?.Parent ?? 0;
        return chain;
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
}
