using System.Runtime.InteropServices;
using System.Text;
using MatlabMcp.Output;
using MatlabMcp.Security;
using Microsoft.Win32.SafeHandles;

namespace MatlabMcp.Pool;

/// <summary>
/// The full text of one job's output, streamed to <c>output/&lt;job id&gt;.txt</c> in its session folder once the output
/// outgrows its budget (a small call creates no file), bounded by output.max_spill_mb.
/// <para>The session folder belongs to the engine, and engine code can plant links there, so the server (possibly root)
/// never follows one: the <c>output</c> folder is opened with O_NOFOLLOW and the file is created in it with
/// O_CREAT|O_EXCL|O_NOFOLLOW relative to that handle (openat), so a link swapped in between cannot redirect the write.
/// Reading back (<see cref="OpenRead"/>) does the same and accepts only a regular file the server itself owns with one
/// link. Folder 0755 and file 0644: the engine, which may run as another uid, can read them (fileread) but not change them.</para>
/// </summary>
internal sealed partial class OutputSpill(string sessionFolder, string jobId, long maxBytes)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private FileStream? _file;
    private bool _closed;

    /// <summary>The file, relative to the session folder (what results and the marker name).</summary>
    public string RelativePath { get; } = PathOf(jobId);

    public static string PathOf(string jobId) => $"{SessionResources.OutputFolder}/{jobId}.txt";

    /// <summary>True once the file exists (the output outgrew its budget and the file could be made).</summary>
    public bool Opened => _file is not null || (_closed && Bytes > 0);

    /// <summary>Bytes written (UTF-8).</summary>
    public long Bytes { get; private set; }

    /// <summary>True when the file stopped at output.max_spill_mb: it holds the start of the output, not all of it.</summary>
    public bool Cut { get; private set; }

    /// <summary>Why the file could not be made or written, or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>Makes the file and writes what the sink held; false (with <see cref="Failure"/>) when it cannot.</summary>
    internal bool Open(string heldSoFar)
    {
        if (_file is not null || _closed || Failure is not null)
            return _file is not null;
        try
        {
            _file = Create(sessionFolder, RelativePath);
        }
        catch (IOException e)
        {
            Failure = e.Message;
            return false;
        }
        Write(heldSoFar);
        return true;
    }

    /// <summary>Appends printed text, up to output.max_spill_mb (never half a character).</summary>
    internal void Write(ReadOnlySpan<char> text)
    {
        if (_file is null || Cut || text.IsEmpty)
            return;
        var bytes = Utf8.GetByteCount(text);
        if (Bytes + bytes > maxBytes)
        {
            Cut = true;
            var chars = (int)Math.Min(text.Length, (maxBytes - Bytes) / 3); // 3 bytes per UTF-16 unit at most: always fits
            if (chars > 0 && char.IsHighSurrogate(text[chars - 1]))
                chars--;
            text = text[..chars];
            bytes = Utf8.GetByteCount(text);
        }
        try
        {
            Span<byte> buffer = bytes <= 4096 ? stackalloc byte[bytes] : new byte[bytes];
            Utf8.GetBytes(text, buffer);
            _file.Write(buffer);
            Bytes += bytes;
        }
        catch (IOException e)
        {
            (Failure, Cut) = (e.Message, true); // e.g. disk full: the file keeps what it has
        }
    }

    /// <summary>Flushes and closes the file (idempotent); nothing is written after.</summary>
    internal void Close()
    {
        _closed = true;
        var file = Interlocked.Exchange(ref _file, null);
        try
        {
            file?.Dispose();
        }
        catch (IOException e)
        {
            Failure ??= e.Message;
        }
    }

    /// <summary>
    /// The spill file of <paramref name="relativePath"/> (<c>output/&lt;name&gt;</c>) for reading, or null when it is gone or is not
    /// the file the server wrote (a link, another owner's file, a second hard link).
    /// </summary>
    public static FileStream? OpenRead(string sessionFolder, string relativePath)
    {
        if (!TrySplit(relativePath, out var name))
            return null;
        using var folder = OpenFolder(sessionFolder, create: false);
        if (folder is null)
            return null;
        var fd = OpenAt(folder.DangerousGetHandle().ToInt32(), name, OpenFlags.ReadOnly | OpenFlags.NoFollow | OpenFlags.CloseOnExec, 0);
        if (fd < 0)
            return null;
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        Span<byte> status = stackalloc byte[256];
        if (Statx(fd, "", AtEmptyPath, StatxBasicStats, status) != 0
            || BitConverter.ToInt32(status[16..]) != 1 // one link: not a hard link to a file elsewhere
            || BitConverter.ToInt32(status[20..]) != Ownership.EffectiveUserId() // the server's own file
            || (BitConverter.ToUInt16(status[28..]) & 0xF000) != 0x8000) // a regular file
        {
            handle.Dispose();
            return null;
        }
        return new FileStream(handle, FileAccess.Read, bufferSize: 64 * 1024);
    }

    private static FileStream Create(string sessionFolder, string relativePath)
    {
        if (!TrySplit(relativePath, out var name))
            throw new IOException($"'{relativePath}' is no output file name");
        using var folder = OpenFolder(sessionFolder, create: true)
            ?? throw new IOException($"the '{SessionResources.OutputFolder}' folder could not be opened (errno {Marshal.GetLastPInvokeError()})");
        var fd = OpenAt(folder.DangerousGetHandle().ToInt32(), name,
            OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow | OpenFlags.CloseOnExec, 0b110_100_100); // 0644
        if (fd < 0)
            throw new IOException($"'{relativePath}' could not be created (errno {Marshal.GetLastPInvokeError()})");
        _ = FChMod(fd, 0b110_100_100); // past the umask: the engine may run as another uid
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, bufferSize: 64 * 1024);
    }

    /// <summary>The session's output folder, never through a link; made (0755) when asked and missing.</summary>
    private static SafeFileHandle? OpenFolder(string sessionFolder, bool create)
    {
        var path = Path.Combine(sessionFolder, SessionResources.OutputFolder);
        if (create && MkDir(path, 0b111_101_101) != 0 && Marshal.GetLastPInvokeError() != EExist)
            return null;
        var fd = Open(path, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow | OpenFlags.CloseOnExec, 0);
        if (fd < 0)
            return null;
        if (create)
            _ = FChMod(fd, 0b111_101_101); // past the umask, so an engine of another uid may read it (through the handle: never a link)
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static bool TrySplit(string relativePath, out string name)
    {
        name = relativePath.StartsWith(SessionResources.OutputFolder + "/", StringComparison.Ordinal)
            ? relativePath[(SessionResources.OutputFolder.Length + 1)..] : "";
        return name.Length > 0 && !name.Contains('/') && name is not ("." or "..") && !name.Contains('\0');
    }

    private const int EExist = 17;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "openat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenAt(int dirFd, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "mkdir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkDir(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static partial int FChMod(int fd, uint mode);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, Span<byte> buffer);
}
