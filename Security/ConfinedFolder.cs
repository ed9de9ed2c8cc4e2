using System.Runtime.InteropServices;
using System.Text;
using MatlabMcp.Output.Files;
using Microsoft.Win32.SafeHandles;

namespace MatlabMcp.Security;

/// <summary>Why a file operation did not happen: nothing there, refused by the rules, or the system failed.</summary>
internal enum FileProblemKind
{
    NotFound,
    Refused,
    Failed,
}

/// <summary>A file operation that did not happen, with a message for the agent (never a host path).</summary>
internal sealed record FileProblem(FileProblemKind Kind, string Message)
{
    public static FileProblem NotFound(string path) =>
        new(FileProblemKind.NotFound, $"'{path}' does not exist in your session folder. list_files shows what is there.");
}

/// <summary>
/// A session folder, reached only downwards. Every path is walked one name at a time with openat(O_NOFOLLOW) from a
/// descriptor of the folder, so a link swapped in by engine code between a check and an open is never followed by the
/// kernel. Links are followed by hand (readlinkat) only while they stay inside the folder; one that leads out is
/// refused without saying where it points. Writes go to a temporary name and are renamed into place (atomic, and a
/// link at the target is replaced, never written through). Linux only (the descriptor calls differ elsewhere).
/// </summary>
internal sealed partial class ConfinedFolder : IDisposable
{
    private const int MaxLinkHops = 16;
    private const int ENOENT = 2, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, ELOOP = 40, ENOTEMPTY = 39;
    private const int AtSymlinkNoFollow = 0x100, AtRemoveDir = 0x200, AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;

    /// <summary>Prefix of upload temporaries: a hidden name, which no agent path can address.</summary>
    public const string TempPrefix = ".upload-";

    private readonly SafeFileHandle _root;
    private readonly string _rootPath;
    private readonly (int Uid, int Gid)? _owner;

    private ConfinedFolder(SafeFileHandle root, string rootPath, (int, int)? owner) => (_root, _rootPath, _owner) = (root, rootPath, owner);

    /// <summary>The folder (a trusted server path), or null when it does not exist.</summary>
    public static ConfinedFolder? Open(string folder)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("Session file tools run on Linux only.");
        var fd = OpenAt(-100, folder, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloseOnExec, 0);
        if (fd < 0)
            return null;
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var real = ReadLink($"/proc/self/fd/{fd}") ?? Path.GetFullPath(folder);
        // A root server gives what it writes to the folder's owner (the session's engine), so engine code can change it.
        var owner = Ownership.EffectiveUserId() == 0 && Stat(fd, "", AtEmptyPath) is { Uid: not 0 } s ? (s.Uid, s.Gid) : ((int, int)?)null;
        return new ConfinedFolder(handle, real, owner);
    }

    /// <summary>Opens a file (or folder) for reading; <paramref name="kind"/> says which. Links inside the folder are followed.</summary>
    public FileProblem? OpenRead(string path, out SafeFileHandle? handle, out FileKind kind, out long size)
    {
        (handle, kind, size) = (null, FileKind.Other, 0);
        var problem = Walk(path, followLast: true, create: false, out var dir, out _, out var fd);
        using (dir)
        {
            if (problem is not null)
                return problem;
        }
        handle = fd!;
        var status = Stat((int)handle.DangerousGetHandle(), "", AtEmptyPath)!.Value;
        (kind, size) = (status.Kind, status.Size);
        if (kind is FileKind.File or FileKind.Folder)
            return null;
        handle.Dispose();
        handle = null;
        return new(FileProblemKind.Refused, $"'{path}' is not a regular file (a pipe, socket or device); file tools do not open those.");
    }

    /// <summary>
    /// A whole regular file of at most <paramref name="maxBytes"/> from a session folder (the server reading what an engine
    /// wrote, e.g. a figure); null and why otherwise.
    /// </summary>
    public static byte[]? ReadAll(string folder, string path, long maxBytes, out string? problem)
    {
        using var confined = Open(folder);
        if (confined is null)
        {
            problem = "the session folder is gone";
            return null;
        }
        if (confined.OpenRead(path, out var handle, out var kind, out var size) is { } refused)
        {
            problem = refused.Message;
            return null;
        }
        using (handle)
        {
            if (kind != FileKind.File || size > maxBytes)
            {
                problem = kind != FileKind.File ? $"'{path}' is a folder" : $"'{path}' is {size:N0} bytes, more than the {maxBytes:N0} allowed";
                return null;
            }
            var bytes = new byte[size];
            var read = 0;
            while (read < bytes.Length && RandomAccess.Read(handle!, bytes.AsSpan(read), read) is var n and > 0)
                read += n;
            problem = null;
            return read == bytes.Length ? bytes : bytes[..read];
        }
    }

    /// <summary>The first <paramref name="max"/> entries of a folder ("" is the session folder) by name, and how many more.</summary>
    public FileProblem? List(string path, int max, out FileListing? listing)
    {
        listing = null;
        SafeFileHandle folder;
        if (path.Length == 0)
            folder = _root;
        else if (OpenRead(path, out var handle, out var kind, out _) is { } problem)
            return problem;
        else if (kind != FileKind.Folder)
        {
            handle!.Dispose();
            return new(FileProblemKind.Refused, $"'{path}' is a file, not a folder: read it with read_file or read_data.");
        }
        else
            folder = handle!;
        try
        {
            var fd = (int)folder.DangerousGetHandle();
            // The descriptor's /proc entry is the very folder opened above, whatever was renamed or linked since.
            var names = Directory.EnumerateFileSystemEntries($"/proc/self/fd/{fd}").Select(Path.GetFileName)
                .Where(n => n is not null && !n.StartsWith(TempPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            var entries = new List<FileEntry>(Math.Min(max, names.Count));
            foreach (var name in names.Take(max))
                if (Stat(fd, name!, AtSymlinkNoFollow) is { } s)
                    entries.Add(new FileEntry(name!, FileEntry.TypeName(s.Kind), s.Kind == FileKind.File ? s.Size : 0, s.Modified));
            listing = new FileListing(path, entries, Math.Max(0, names.Count - max));
            return null;
        }
        finally
        {
            if (!ReferenceEquals(folder, _root))
                folder.Dispose();
        }
    }

    /// <summary>Writes a file atomically (temporary name, then rename), creating missing folders. Never writes through a link.</summary>
    public async Task<FileProblem?> WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var problem = Walk(path, followLast: false, create: true, out var dir, out var name, out _);
        using var walked = dir;
        if (problem is not null)
            return problem;
        var dirFd = (int)dir!.DangerousGetHandle();
        switch (Stat(dirFd, name, AtSymlinkNoFollow)?.Kind)
        {
            case FileKind.Link:
                return new(FileProblemKind.Refused, $"'{path}' is a link; uploads never write through links. Delete it first (delete_file) or choose another name.");
            case FileKind.Folder:
                return new(FileProblemKind.Refused, $"'{path}' is a folder; choose a file name inside it, such as \"{path}/data.csv\".");
            case FileKind.Other:
                return new(FileProblemKind.Refused, $"'{path}' is a pipe, socket or device; choose another name.");
        }
        var temp = $"{TempPrefix}{Guid.NewGuid():N}.tmp";
        var fd = OpenAt(dirFd, temp, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow | OpenFlags.CloseOnExec, 0b110_100_100);
        if (fd < 0)
            return Failed("create", path);
        try
        {
            using (var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, bufferSize: 0))
            {
                await stream.WriteAsync(content, cancellationToken);
                if (_owner is { } owner)
                    _ = FChown(fd, owner.Uid, owner.Gid);
            }
            if (RenameAt(dirFd, temp, dirFd, name) != 0)
                return Failed("rename into place", path);
            temp = "";
            return null;
        }
        finally
        {
            if (temp.Length > 0)
                _ = UnlinkAt(dirFd, temp, 0);
        }
    }

    /// <summary>Deletes a file, a link (never what it points to) or an empty folder.</summary>
    public FileProblem? Delete(string path, out FileKind deleted)
    {
        deleted = FileKind.Other;
        var problem = Walk(path, followLast: false, create: false, out var dir, out var name, out _);
        using var walked = dir;
        if (problem is not null)
            return problem;
        var dirFd = (int)dir!.DangerousGetHandle();
        if (Stat(dirFd, name, AtSymlinkNoFollow) is not { } status)
            return FileProblem.NotFound(path);
        deleted = status.Kind;
        if (UnlinkAt(dirFd, name, status.Kind == FileKind.Folder ? AtRemoveDir : 0) == 0)
            return null;
        return Marshal.GetLastPInvokeError() switch
        {
            ENOTEMPTY or EEXIST => new(FileProblemKind.Refused, $"'{path}' is a folder that is not empty: delete the files in it first (list_files shows them)."),
            ENOENT => FileProblem.NotFound(path),
            _ => Failed("delete", path),
        };
    }

    /// <summary>
    /// Walks <paramref name="path"/> from the root, one openat(O_NOFOLLOW) per name. On success <paramref name="dir"/>
    /// holds the folder of the last name (the root's descriptor is not closed with it), <paramref name="name"/> the
    /// last name, and with <paramref name="followLast"/> <paramref name="opened"/> the last name opened for reading.
    /// </summary>
    private FileProblem? Walk(string path, bool followLast, bool create, out DirHandle? dir, out string name, out SafeFileHandle? opened)
    {
        (dir, name, opened) = (null, "", null);
        if (FileNames.ValidatePath(path) is { } invalid)
            return new(FileProblemKind.Refused, invalid);
        var stack = new Stack<SafeFileHandle>();
        var pending = new LinkedList<string>(FileNames.Components(path));
        var hops = 0;
        try
        {
            while (pending.First is { } first)
            {
                var part = first.Value;
                pending.RemoveFirst();
                var top = stack.Count > 0 ? stack.Peek() : _root;
                var topFd = (int)top.DangerousGetHandle();
                if (part is "" or ".")
                    continue;
                if (part == "..") // only ever from a link's target: the agent's own path cannot hold it
                {
                    if (stack.Count == 0)
                        return Outside(path);
                    stack.Pop().Dispose();
                    continue;
                }
                var last = pending.Count == 0;
                if (last && !followLast)
                {
                    name = part;
                    dir = new DirHandle(stack.Count > 0 ? stack.Pop() : null, _root);
                    return null;
                }
                var fd = OpenAt(topFd, part, (last ? OpenFlags.ReadOnly | OpenFlags.NonBlock : OpenFlags.ReadOnly | OpenFlags.Directory) | OpenFlags.NoFollow | OpenFlags.CloseOnExec, 0);
                if (fd >= 0)
                {
                    var handle = new SafeFileHandle(fd, ownsHandle: true);
                    if (last)
                    {
                        (name, opened) = (part, handle);
                        dir = new DirHandle(stack.Count > 0 ? stack.Pop() : null, _root);
                        return null;
                    }
                    stack.Push(handle);
                    continue;
                }
                var errno = Marshal.GetLastPInvokeError();
                var status = Stat(topFd, part, AtSymlinkNoFollow);
                if (status?.Kind == FileKind.Link)
                {
                    if (++hops > MaxLinkHops || ReadLinkAt(topFd, part) is not { } target)
                        return new(FileProblemKind.Refused, $"'{path}' goes through a link that cannot be followed (a loop, or too many links).");
                    if (target.StartsWith('/'))
                    {
                        // An absolute target is followed only into this very folder: start again from the root.
                        if (!(target + "/").StartsWith(_rootPath + "/", StringComparison.Ordinal))
                            return Outside(path);
                        target = target[_rootPath.Length..];
                        while (stack.Count > 0)
                            stack.Pop().Dispose();
                    }
                    foreach (var piece in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                        pending.AddFirst(piece);
                    continue;
                }
                if (status is null && create && !last)
                {
                    if (MkDirAt(topFd, part, 0b111_101_101) != 0 && Marshal.GetLastPInvokeError() != EEXIST)
                        return Failed("create the folder for", path);
                    if (_owner is { } owner)
                        _ = FChownAt(topFd, part, owner.Uid, owner.Gid, AtSymlinkNoFollow);
                    pending.AddFirst(part); // open it (without following) like any other folder
                    continue;
                }
                if (status is null || errno == ENOENT)
                    return FileProblem.NotFound(path);
                if (errno is ENOTDIR or EISDIR || status.Value.Kind != FileKind.Folder)
                    return new(FileProblemKind.Refused, $"'{path}': '{part}' is a file, not a folder.");
                return Failed("open", path);
            }
            return FileProblem.NotFound(path);
        }
        finally
        {
            while (stack.Count > 0)
                stack.Pop().Dispose();
        }
    }

    private static FileProblem Outside(string path) =>
        new(FileProblemKind.Refused, $"'{path}' goes through a link that leads outside your session folder; file tools do not follow it.");

    private static FileProblem Failed(string what, string path) =>
        new(FileProblemKind.Failed, $"Could not {what} '{path}' (error {Marshal.GetLastPInvokeError()}).");

    public void Dispose() => _root.Dispose();

    /// <summary>The folder a walk ended in; disposing closes it unless it is the root.</summary>
    private sealed class DirHandle(SafeFileHandle? handle, SafeFileHandle root) : IDisposable
    {
        public nint DangerousGetHandle() => (handle ?? root).DangerousGetHandle();
        public void Dispose() => handle?.Dispose();
    }

    private readonly record struct Status(FileKind Kind, long Size, DateTimeOffset Modified, int Uid, int Gid);

    /// <summary>statx of a name in a folder (or of the descriptor itself with AT_EMPTY_PATH and ""); null when it is gone.</summary>
    private static Status? Stat(int dirFd, string name, int flags)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(dirFd, name, flags, StatxBasicStats, buffer) != 0)
            return null;
        var mode = BitConverter.ToUInt16(buffer[28..]) & 0xF000;
        var kind = mode switch { 0x8000 => FileKind.File, 0x4000 => FileKind.Folder, 0xA000 => FileKind.Link, _ => FileKind.Other };
        var seconds = BitConverter.ToInt64(buffer[112..]);
        return new(kind, BitConverter.ToInt64(buffer[40..]), DateTimeOffset.FromUnixTimeSeconds(seconds),
            BitConverter.ToInt32(buffer[20..]), BitConverter.ToInt32(buffer[24..]));
    }

    private static string? ReadLinkAt(int dirFd, string name)
    {
        Span<byte> buffer = stackalloc byte[4096];
        var length = ReadLinkAtNative(dirFd, name, buffer, buffer.Length);
        return length < 0 || length >= buffer.Length ? null : Encoding.UTF8.GetString(buffer[..(int)length]);
    }

    private static string? ReadLink(string path) => ReadLinkAt(-100, path);

    [LibraryImport("libc", EntryPoint = "openat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenAt(int dirFd, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "mkdirat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkDirAt(int dirFd, string path, uint mode);

    [LibraryImport("libc", EntryPoint = "unlinkat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int UnlinkAt(int dirFd, string path, int flags);

    [LibraryImport("libc", EntryPoint = "renameat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameAt(int oldDirFd, string oldPath, int newDirFd, string newPath);

    [LibraryImport("libc", EntryPoint = "readlinkat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint ReadLinkAtNative(int dirFd, string path, Span<byte> buffer, nint size);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    private static partial int FChown(int fd, int owner, int group);

    [LibraryImport("libc", EntryPoint = "fchownat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int FChownAt(int dirFd, string path, int owner, int group, int flags);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, Span<byte> buffer);
}
