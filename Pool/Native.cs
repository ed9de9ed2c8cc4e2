using System.Runtime.InteropServices;

namespace MatlabMcp.Pool;

/// <summary>The POSIX calls .NET has no managed API for: creating a FIFO, sending signals, changing owners.</summary>
internal static partial class Native
{
    private const int SigInt = 2;

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkFifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, int owner, int group);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial int EffectiveUserId();

    /// <summary>Gives a file or folder to another user (the server must be root).</summary>
    public static void ChangeOwner(string path, int uid, int gid)
    {
        if (Chown(path, uid, gid) != 0)
            throw new IOException($"chown '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
    }

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

    private static string? ReadProc(int pid, string file)
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

    /// <summary>Sends SIGINT; false when the process is already gone.</summary>
    public static bool Interrupt(int pid) => Kill(pid, SigInt) == 0;

    /// <summary>
    /// Sends SIGCHLD: to Octave a harmless signal (it only checks for finished children) that makes it look at
    /// its interrupt count again. See <see cref="Engine.InterruptAsync"/>.
    /// </summary>
    public static void Poke(int pid) => Kill(pid, OperatingSystem.IsMacOS() ? 20 : 17);
}
