using System.Runtime.InteropServices;

namespace MatlabMcp.Security;

/// <summary>Who the server runs as and who owns a file: the POSIX calls behind engine accounts, which .NET has no managed API for.</summary>
internal static partial class Ownership
{
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;

    /// <summary>statx's S_IFDIR and S_IFLNK type bits (in <see cref="LinkStatus"/>'s Type).</summary>
    public const UnixFileMode DirectoryType = (UnixFileMode)0x4000, LinkType = (UnixFileMode)0xA000;

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
}
