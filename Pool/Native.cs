using System.Runtime.InteropServices;

namespace MatlabMcp.Pool;

/// <summary>The two POSIX calls .NET has no managed API for: creating a FIFO and sending SIGINT.</summary>
internal static partial class Native
{
    private const int SigInt = 2;

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkFifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static void CreateFifo(string path)
    {
        if (MkFifo(path, 0b110_000_000) != 0) // 0600: only the server's user may open the pipe
            throw new IOException($"mkfifo '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
    }

    /// <summary>Sends SIGINT; false when the process is already gone.</summary>
    public static bool Interrupt(int pid) => Kill(pid, SigInt) == 0;
}
