using System.Runtime.InteropServices;

namespace MatlabMcp.Security;

/// <summary>
/// The host's processes as /proc shows them, and a sweep that kills those that match until none is left. The sandbox
/// frees an engine uid with it (<see cref="KillUid"/>); the pool sweeps what an engine's code started with it.
/// </summary>
internal static partial class ProcessTable
{
    private const int SigKill = 9;
    private const int MaxRounds = 200;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>A live process: its parent and session, its state letter (Z for a zombie), and the table it was read into.</summary>
    public sealed record Entry(int Pid, int Parent, int Session, char State, Dictionary<int, Entry> Table)
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

    /// <summary>Every process of a uid (a stale engine of a crashed server, before the uid is used again).</summary>
    public static int KillUid(int uid) =>
        SweepableUid(uid) is null ? 0 : Sweep(p => p.Pid != Environment.ProcessId && RealUid(p.Pid) == uid);

    /// <summary>Only an engine's own uid is swept: never root's, nor the server's.</summary>
    public static int? SweepableUid(int? uid) => uid is > 0 && uid != Ownership.EffectiveUserId() ? uid : null;

    /// <summary>Kills matching live processes, scanning again until none is left: a killed shell may have just forked.</summary>
    public static int Sweep(Func<Entry, bool> matches)
    {
        var killed = new HashSet<int>();
        for (var round = 0; round < MaxRounds; round++)
        {
            var found = false;
            foreach (var entry in Snapshot().Values)
            {
                if (entry.State == 'Z' || !matches(entry))
                    continue;
                found = true;
                if (Kill(entry.Pid, SigKill) == 0)
                    killed.Add(entry.Pid);
            }
            if (!found)
                break;
            Thread.Yield(); // let the killed processes exit before looking again
        }
        return killed.Count;
    }

    /// <summary>Parent, session and state of a process, or null when it is gone.</summary>
    public static (int Parent, int Session, char State)? Stat(int pid)
    {
        var text = Read(pid, "stat");
        var end = text?.LastIndexOf(')') ?? -1; // the command name may itself hold spaces and parentheses
        if (end < 0)
            return null;
        var fields = text![(end + 2)..].Split(' ');
        return fields.Length > 4 && int.TryParse(fields[1], out var parent) && int.TryParse(fields[3], out var session)
            ? (parent, session, fields[0][0]) : null;
    }

    /// <summary>The real uid a process runs as, or -1 when it is gone.</summary>
    public static int RealUid(int pid)
    {
        foreach (var line in (Read(pid, "status") ?? "").Split('\n'))
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
                return int.TryParse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], out var uid) ? uid : -1;
        return -1;
    }

    /// <summary>A file of /proc/&lt;pid&gt;, or null when the process is gone or unreadable.</summary>
    public static string? Read(int pid, string file)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{file}");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static Dictionary<int, Entry> Snapshot()
    {
        var table = new Dictionary<int, Entry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != Environment.ProcessId && Stat(pid) is { } stat)
                table[pid] = new Entry(pid, stat.Parent, stat.Session, stat.State, table);
        return table;
    }
}
