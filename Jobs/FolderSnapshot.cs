using System.IO.Enumeration;
using MatlabMcp.Output;

namespace MatlabMcp.Jobs;

/// <summary>
/// What a session folder holds (path, size, modification time), taken before and after a run so its result can list the
/// files the code created or changed, and only those. Figures and spilled output are reported on their own and skipped;
/// links are listed but never followed. Bounded: a folder of more than <see cref="MaxEntries"/> entries is not compared
/// (the scan would cost every call more than it tells).
/// </summary>
internal sealed class FolderSnapshot
{
    public const int MaxEntries = 5000;

    /// <summary>Files listed in one result; more are counted.</summary>
    public const int MaxListed = 20;

    private readonly Dictionary<string, (long Size, DateTime Modified)> _files;

    private FolderSnapshot(Dictionary<string, (long, DateTime)> files, bool complete) => (_files, IsComplete) = (files, complete);

    /// <summary>False when the folder had too many entries to compare.</summary>
    public bool IsComplete { get; }

    public static FolderSnapshot Take(string folder)
    {
        var files = new Dictionary<string, (long, DateTime)>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
            return new(files, true);
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var entries = new FileSystemEnumerable<(string Path, long Size, DateTime Modified)?>(root,
            (ref FileSystemEntry e) => e.IsDirectory && !IsLink(e) ? null
                : (e.ToFullPath()[(root.Length + 1)..], e.Length, e.LastWriteTimeUtc.UtcDateTime),
            new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0, MaxRecursionDepth = 16 })
        {
            ShouldRecursePredicate = (ref FileSystemEntry e) => !IsLink(e) && !IsReportedElsewhere(e, root),
        };
        var seen = 0;
        foreach (var entry in entries)
        {
            if (++seen > MaxEntries)
                return new(files, false);
            if (entry is var (path, size, modified))
                files[path] = (size, modified);
        }
        return new(files, true);
    }

    /// <summary>The files created or changed since <paramref name="before"/>, created first, then by name; null when nothing changed.</summary>
    public List<ChangedFile>? ChangesSince(FolderSnapshot before)
    {
        if (!IsComplete || !before.IsComplete)
            return null;
        var changes = new List<ChangedFile>();
        foreach (var (path, now) in _files)
        {
            var existed = before._files.TryGetValue(path, out var then);
            if (!existed || then != now)
                changes.Add(new ChangedFile(path, now.Size, Created: !existed));
        }
        return changes.Count == 0 ? null : [.. changes.OrderByDescending(c => c.Created).ThenBy(c => c.Path, StringComparer.Ordinal)];
    }

    private static bool IsLink(in FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) != 0;

    private static bool IsReportedElsewhere(in FileSystemEntry e, string root) =>
        e.Directory.Length == root.Length && (e.FileName.SequenceEqual(SessionResources.FiguresFolder) || e.FileName.SequenceEqual(SessionResources.OutputFolder));
}
