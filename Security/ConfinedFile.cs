using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MatlabMcp.Security;

/// <summary>
/// Opens a file an engine may have written for the server to read, and proves where it landed. Engines can plant a
/// symbolic link, a FIFO or a device under any name in their session folder, and when the server runs as root each
/// reading the link would leak what it points to. So on Linux the file is opened without following a final link and
/// without blocking, must be a regular file, and the descriptor's own path (/proc/self/fd) must lie inside the folder:
/// a link swapped in at any component between a check and the open cannot escape, because nothing is checked before it.
/// Elsewhere (macOS: no sandbox, engines run as the server's user, nothing to escalate to) the path is resolved and checked.
/// </summary>
internal static partial class ConfinedFile
{
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1 | 0x200; // STATX_TYPE | STATX_SIZE
    private const int RegularType = 0x8000;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "openat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenAt(int dirFd, string name, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "mkdirat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkdirAt(int dirFd, string name, int mode);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, Span<byte> buffer);

    // O_RDONLY | O_NONBLOCK (a FIFO must not hang the open) | O_CLOEXEC | O_NOFOLLOW, whose value differs on arm.
    private static int OpenFlags => 0x800 | 0x80000 | NoFollow;

    /// <summary>
    /// An open handle on <paramref name="relativePath"/> inside <paramref name="folder"/> when it is a regular file there,
    /// with its length; otherwise null and why (missing, a link, not a regular file, outside the folder).
    /// </summary>
    public static SafeFileHandle? OpenRead(string folder, string relativePath, out long length, out string? problem)
    {
        length = 0;
        var path = Path.GetFullPath(Path.Combine(folder, relativePath));
        var root = Canonical(folder);
        if (!OperatingSystem.IsLinux())
            return OpenResolved(path, root, out length, out problem);
        var fd = Open(path, OpenFlags);
        if (fd < 0)
        {
            problem = Marshal.GetLastPInvokeError() == 2 ? "it does not exist" : "it is a link or cannot be opened";
            return null;
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(fd, "", AtEmptyPath, StatxType, buffer) != 0 || (BitConverter.ToUInt16(buffer[28..]) & 0xF000) != RegularType)
            return Refuse(handle, "it is not a regular file", out problem);
        length = BitConverter.ToInt64(buffer[40..]);
        var landed = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        if (landed is null || !Inside(landed, root))
            return Refuse(handle, "it lies outside the session folder", out problem);
        problem = null;
        return handle;
    }

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="relativePath"/> inside <paramref name="folder"/> (replacing
    /// what is there; parent folders made as needed). Every folder on the way is opened without following a link and the
    /// last one proven inside by its descriptor's path; the file is made under a temporary name there and renamed over the
    /// final name, so a link planted under that name is replaced, never written through. False and why when it cannot be.
    /// </summary>
    public static bool Write(string folder, string relativePath, ReadOnlySpan<byte> content, out string? problem)
    {
        var root = Canonical(folder);
        var parts = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Any(p => p is "." or ".."))
        {
            problem = "the name is not a plain path inside the session folder";
            return false;
        }
        if (!OperatingSystem.IsLinux())
        {
            var path = Path.Combine([root, .. parts]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path + ".tmp", content);
            File.Move(path + ".tmp", path, overwrite: true);
            problem = null;
            return true;
        }
        var dir = Open(root, DirectoryFlags);
        try
        {
            foreach (var part in parts[..^1])
            {
                if (dir < 0)
                    break;
                var next = OpenAt(dir, part, DirectoryFlags, 0);
                if (next < 0 && Marshal.GetLastPInvokeError() == 2 && MkdirAt(dir, part, 0b111_101_101) == 0)
                    next = OpenAt(dir, part, DirectoryFlags, 0);
                Close(dir);
                dir = next;
            }
            if (dir < 0 || new FileInfo($"/proc/self/fd/{dir}").LinkTarget is not { } landed || !(landed == root || Inside(landed, root)))
            {
                problem = "a folder on its way is a link or lies outside the session folder";
                return false;
            }
            var temp = $".{parts[^1]}.{Environment.ProcessId}-{Environment.CurrentManagedThreadId}.tmp";
            var fd = OpenAt(dir, temp, 0x1 | 0x40 | 0x80 | 0x80000 | NoFollow, 0b110_100_100); // O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0644
            if (fd < 0)
            {
                problem = $"it cannot be created (errno {Marshal.GetLastPInvokeError()})";
                return false;
            }
            using (var handle = new SafeFileHandle(fd, ownsHandle: true))
                RandomAccess.Write(handle, content, 0);
            if (RenameAt(dir, temp, dir, parts[^1]) != 0)
            {
                problem = $"it cannot be put in place (errno {Marshal.GetLastPInvokeError()})";
                UnlinkAt(dir, temp, 0);
                return false;
            }
            problem = null;
            return true;
        }
        finally
        {
            if (dir >= 0)
                Close(dir);
        }
    }

    private static bool IsArm => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
    private static int NoFollow => IsArm ? 0x8000 : 0x20000;
    private static int DirectoryFlags => (IsArm ? 0x4000 : 0x10000) | 0x80000 | NoFollow; // O_DIRECTORY|O_CLOEXEC|O_NOFOLLOW

    [LibraryImport("libc", EntryPoint = "renameat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameAt(int oldDirFd, string oldName, int newDirFd, string newName);

    [LibraryImport("libc", EntryPoint = "unlinkat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int UnlinkAt(int dirFd, string name, int flags);

    /// <summary>Reads a whole confined file of at most <paramref name="maxBytes"/>; null and why otherwise.</summary>
    public static byte[]? ReadAll(string folder, string relativePath, long maxBytes, out string? problem)
    {
        using var handle = OpenRead(folder, relativePath, out var length, out problem);
        if (handle is null)
            return null;
        if (length > maxBytes)
        {
            problem = $"it is {length:N0} bytes, more than the {maxBytes:N0} allowed";
            return null;
        }
        var bytes = new byte[length];
        var read = 0;
        while (read < bytes.Length && RandomAccess.Read(handle, bytes.AsSpan(read), read) is var n and > 0)
            read += n;
        return read == bytes.Length ? bytes : bytes[..read];
    }

    private static SafeFileHandle? OpenResolved(string path, string root, out long length, out string? problem)
    {
        length = 0;
        var info = new FileInfo(path);
        if (!info.Exists || info.LinkTarget is not null || !Inside(Canonical(path), root))
        {
            problem = info.Exists ? "it is a link or lies outside the session folder" : "it does not exist";
            return null;
        }
        length = info.Length;
        problem = null;
        return File.OpenHandle(path);
    }

    private static SafeFileHandle? Refuse(SafeFileHandle handle, string why, out string? problem)
    {
        handle.Dispose();
        problem = why;
        return null;
    }

    private static bool Inside(string path, string root) =>
        path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);

    /// <summary>The path with every symbolic link along it followed, as far as it exists.</summary>
    private static string Canonical(string path)
    {
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full);
        var resolvedParent = parent is null ? null : Canonical(parent);
        var here = resolvedParent is null ? full : Path.Combine(resolvedParent, Path.GetFileName(full));
        return new FileInfo(here).LinkTarget is not null && File.ResolveLinkTarget(here, returnFinalTarget: true) is { } target
            ? Path.GetFullPath(target.FullName)
            : here;
    }
}
