using System.Runtime.InteropServices;

namespace MatlabMcp.Pool;

/// <summary>The POSIX calls .NET has no managed API for: creating a FIFO, sending signals, changing owners.</summary>
internal static partial class Native
{
    public const int SigInt = 2;
    private const int SigKill = 9;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkFifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, int owner, int group);

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LChown(string path, int owner, int group);

    // statx, not stat: its buffer has one layout on every architecture (struct stat differs between x86-64 and arm64).
    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial int EffectiveUserId();

    /// <summary>Gives a file or folder to another user (the server must be root).</summary>
    public static void ChangeOwner(string path, int uid, int gid)
    {
        if (Chown(path, uid, gid) != 0)
            throw new IOException($"chown '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
    }

    /// <summary>Gives a file, folder or symbolic link itself (never what a link points to) to another user.</summary>
    public static bool TryChangeOwnerOfLink(string path, int uid, int gid) => LChown(path, uid, gid) == 0;

    /// <summary>Owner, type and link count of a path, not following a final symbolic link; null when it is gone.</summary>
    public static (int Uid, UnixFileMode Type, int Links)? LinkStatus(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
            return null;
        var links = BitConverter.ToInt32(buffer[16..]);
        var uid = BitConverter.ToInt32(buffer[20..]);
        var mode = BitConverter.ToUInt16(buffer[28..]);
        return (uid, (UnixFileMode)(mode & 0xF000), links);
    }

    /// <summary>statx's S_IFDIR and S_IFLNK type bits (in <see cref="LinkStatus"/>'s Type).</summary>
    public const UnixFileMode DirectoryType = (UnixFileMode)0x4000;

    /// <summary>Sends SIGKILL; false when the process is already gone (or not ours to signal).</summary>
    public static bool KillNow(int pid) => Kill(pid, SigKill) == 0;

    /// <summary>
    /// The engine inside a launcher chain: wrappers that exec keep the pid, but bubblewrap forks (an outer
    /// bwrap, then the namespace's init bwrap), so follow first children past every "bwrap".
    /// </summary>
    public static int FindEngineProcess(int launcherPid)
    {
        var pid = launcherPid;
        for (var depth = 0; depth < 4; depth++)
        {
            if (ReadProc(pid, "comm")?.Trim() != "bwrap")
                return pid;
            var children = ReadProc(pid, $"task/{pid}/children")?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (children is not { Length: > 0 } || !int.TryParse(children[0], out var child))
                return pid;
            pid = child;
        }
        return pid;
    }

    /// <summary>A file of /proc/&lt;pid&gt;, or null when the process is gone or unreadable.</summary>
    internal static string? ReadProc(int pid, string file)
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
        var status = ReadProc(pid, "status");
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
        var status = ReadProc(pid, "status");
        if (status is null)
            return "process gone";
        var fields = status.Split('\n')
            .Where(l => l.StartsWith("State:", StringComparison.Ordinal) || l.StartsWith("SigPnd:", StringComparison.Ordinal)
                || l.StartsWith("ShdPnd:", StringComparison.Ordinal) || l.StartsWith("SigBlk:", StringComparison.Ordinal)
                || l.StartsWith("SigCgt:", StringComparison.Ordinal))
            .Select(l => string.Join(' ', l.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)));
        return $"{string.Join(", ", fields)}, wchan {ReadProc(pid, "wchan") ?? "?"}";
    }

    /// <summary>Sends SIGINT; false when the process is already gone.</summary>
    public static bool Interrupt(int pid) => Kill(pid, SigInt) == 0;

    /// <summary>
    /// Sends SIGCHLD: to Octave a harmless signal (it only checks for finished children) that makes it look at
    /// its interrupt count again. See <see cref="Engine.InterruptAsync"/>.
    /// </summary>
    public static void Poke(int pid) => Kill(pid, OperatingSystem.IsMacOS() ? 20 : 17);
}
