using System.Runtime.InteropServices;
using MatlabMcp.Security;

namespace MatlabMcp.Pool;

/// <summary>The POSIX calls .NET has no managed API for: creating a FIFO, sending signals. (File owners: <see cref="Ownership"/>.)</summary>
internal static partial class Native
{
    public const int SigInt = 2;

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkFifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>
    /// The engine inside a launcher chain: wrappers that exec keep the pid, but bubblewrap forks (an outer
    /// bwrap, then the namespace's init bwrap), so follow first children past every "bwrap".
    /// </summary>
    public static int FindEngineProcess(int launcherPid)
    {
        var pid = launcherPid;
        for (var depth = 0; depth < 4; depth++)
        {
            if (ProcessTable.Read(pid, "comm")?.Trim() != "bwrap")
                return pid;
            var children = ProcessTable.Read(pid, $"task/{pid}/children")?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (children is not { Length: > 0 } || !int.TryParse(children[0], out var child))
                return pid;
            pid = child;
        }
        return pid;
    }

    public static void CreateFifo(string path)
    {
        if (MkFifo(path, 0b110_000_000) != 0) // 0600: only the server's user may open the pipe
            throw new IOException($"mkfifo '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
    }

    /// <summary>
    /// Whether a signal sent to the process is still queued in the kernel (no thread has taken it yet), from the
    /// ShdPnd and SigPnd masks of /proc/&lt;pid&gt;/status; false when that cannot be read.
    /// </summary>
    public static bool IsSignalPending(int pid, int signal)
    {
        var status = ProcessTable.Read(pid, "status");
        if (status is null)
            return false;
        var bit = 1UL << (signal - 1);
        foreach (var line in status.Split('\n'))
            if ((line.StartsWith("ShdPnd:", StringComparison.Ordinal) || line.StartsWith("SigPnd:", StringComparison.Ordinal))
                && ulong.TryParse(line.AsSpan(7).Trim(), System.Globalization.NumberStyles.HexNumber, null, out var mask)
                && (mask & bit) != 0)
                return true;
        return false;
    }

    /// <summary>
    /// The process's run state and signal masks (State, SigPnd, ShdPnd, SigBlk, SigCgt) and where it sleeps (wchan), on
    /// one line: what an engine that does not answer an interrupt was doing, for the error that reports it.
    /// </summary>
    public static string SignalState(int pid)
    {
        var status = ProcessTable.Read(pid, "status");
        if (status is null)
            return "process gone";
        var fields = status.Split('\n')
            .Where(l => l.StartsWith("State:", StringComparison.Ordinal) || l.StartsWith("SigPnd:", StringComparison.Ordinal)
                || l.StartsWith("ShdPnd:", StringComparison.Ordinal) || l.StartsWith("SigBlk:", StringComparison.Ordinal)
                || l.StartsWith("SigCgt:", StringComparison.Ordinal))
            .Select(l => string.Join(' ', l.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)));
        return $"{string.Join(", ", fields)}, wchan {ProcessTable.Read(pid, "wchan") ?? "?"}";
    }

    /// <summary>Sends SIGINT; false when the process is already gone.</summary>
    public static bool Interrupt(int pid) => Kill(pid, SigInt) == 0;

    /// <summary>
    /// Sends SIGCHLD: to Octave a harmless signal (it only checks for finished children) that makes it look at
    /// its interrupt count again. See <see cref="Engine.InterruptAsync"/>.
    /// </summary>
    public static void Poke(int pid) => Kill(pid, OperatingSystem.IsMacOS() ? 20 : 17);
}
