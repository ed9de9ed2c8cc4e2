using System.Text.Json.Serialization;

namespace MatlabMcp.Pool;

/// <summary>
/// Notices function files (.m) of a session folder that changed since the engine's last call, so the bridge can make
/// the engine forget its cached copies. Octave looks at function files' time stamps only when it shows its prompt,
/// which the bridge loop never does, and even there misses a rewrite within the second of the last parse (it compares
/// whole seconds): an agent that fixed a file kept running the old code.
/// </summary>
/// <remarks>
/// Checked by the server before each call, not by the engine: a stat is an order of magnitude cheaper here. The
/// check stats every tracked folder (a file appeared or vanished) and every tracked .m file (rewritten in place, which
/// leaves its folder's time unchanged). Folders are tracked to <see cref="MaxDepth"/> levels, for subfolders added to
/// the path and private/, @class and +package folders; the bounds keep a folder full of data cheap to check.
/// </remarks>
internal sealed class FunctionFileWatch
{
    private const int MaxDepth = 3;
    private const int MaxFolders = 64;
    private const int MaxFiles = 1024;

    private readonly string _root;
    private Dictionary<string, DateTime> _folders;
    private Dictionary<string, Stamp> _files;

    public FunctionFileWatch(string root)
    {
        _root = root;
        (_folders, _files) = Scan();
    }

    private readonly record struct Stamp(DateTime Written, long Length);

    /// <summary>What changed since the last check (which it becomes), or null when nothing did.</summary>
    public FunctionFileChanges? Check()
    {
        var layoutChanged = false;
        foreach (var (folder, written) in _folders)
            if (Directory.GetLastWriteTimeUtc(folder) != written)
            {
                layoutChanged = true;
                break;
            }
        var (folders, files) = layoutChanged ? Scan() : (_folders, Restat(_files));
        if (ReferenceEquals(files, _files))
            return null; // the usual case, on every call: nothing to compare, nothing to allocate
        var changed = new List<string>();
        var added = false;
        foreach (var (file, stamp) in files)
            if (!_files.TryGetValue(file, out var old))
            {
                changed.Add(file);
                added = true;
            }
            else if (old != stamp)
                changed.Add(file);
        var removed = _files.Keys.Where(file => !files.ContainsKey(file)).ToList();
        (_folders, _files) = (folders, files);
        if (changed.Count == 0 && removed.Count == 0)
            return null;
        var all = changed.Concat(removed).ToList();
        return new FunctionFileChanges(
            [.. all.Select(Path.GetFileNameWithoutExtension).Distinct(StringComparer.Ordinal)!],
            all.Any(IsInSpecialFolder),
            added || removed.Count > 0);
    }

    /// <summary>The tracked files stat'ed again; a vanished file drops out.</summary>
    private static Dictionary<string, Stamp> Restat(Dictionary<string, Stamp> files)
    {
        Dictionary<string, Stamp>? current = null;
        foreach (var (file, stamp) in files)
        {
            var info = new FileInfo(file);
            Stamp? now = info.Exists ? new Stamp(info.LastWriteTimeUtc, info.Length) : null;
            if (now == stamp)
                continue;
            current ??= new Dictionary<string, Stamp>(files, StringComparer.Ordinal);
            if (now is { } changed)
                current[file] = changed;
            else
                current.Remove(file);
        }
        return current ?? files;
    }

    /// <summary>Folders (breadth first, hidden ones skipped) and the .m files in them, within the bounds.</summary>
    private (Dictionary<string, DateTime> Folders, Dictionary<string, Stamp> Files) Scan()
    {
        var folders = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        var files = new Dictionary<string, Stamp>(StringComparer.Ordinal);
        var queue = new Queue<(DirectoryInfo Folder, int Depth)>([(new DirectoryInfo(_root), 0)]);
        while (queue.TryDequeue(out var next) && folders.Count < MaxFolders)
        {
            var (folder, depth) = next;
            try
            {
                folders[folder.FullName] = folder.LastWriteTimeUtc;
                foreach (var entry in folder.EnumerateFileSystemInfos())
                {
                    if (entry.Name.StartsWith('.'))
                        continue;
                    if (entry is DirectoryInfo sub && depth < MaxDepth)
                        queue.Enqueue((sub, depth + 1));
                    else if (entry is FileInfo file && file.Extension == ".m" && files.Count < MaxFiles)
                        files[file.FullName] = new Stamp(file.LastWriteTimeUtc, file.Length);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone or unreadable: nothing in it can be loaded either.
            }
        }
        return (folders, files);
    }

    /// <summary>Private, class and package functions are cached where clearing one name does not reach.</summary>
    private bool IsInSpecialFolder(string file) =>
        Path.GetRelativePath(_root, Path.GetDirectoryName(file)!).Split(Path.DirectorySeparatorChar)
            .Any(part => part == "private" || part.StartsWith('@') || part.StartsWith('+'));
}

/// <summary>Function files that changed: the functions to forget, whether only forgetting all reaches them, and whether files came or went.</summary>
internal sealed record FunctionFileChanges(
    [property: JsonPropertyName("names")] IReadOnlyList<string> Names,
    [property: JsonPropertyName("all")] bool All,
    [property: JsonPropertyName("rehash")] bool Rehash);
