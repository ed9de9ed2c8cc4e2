using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace MatlabMcp.Security;

/// <summary>
/// The rules every file tool applies to a name the agent gives: a plain name inside the session folder, never a path.
/// Checked twice: the text first (<see cref="Validate"/>), then where it lands on disk after symlinks are followed
/// (<see cref="TryResolve"/>), because a link planted by the engine could point anywhere.
/// </summary>
internal static class FileNames
{
    /// <summary>Longest name accepted; well below NAME_MAX (255) so suffixes such as ".tmp" still fit.</summary>
    public const int MaxLength = 128;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>Why <paramref name="name"/> is not an acceptable file name, or null when it is.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return "No file name given: pass a plain name such as \"data.csv\".";
        if (name.Length > MaxLength)
            return $"The file name is {name.Length} characters; the limit is {MaxLength}. Choose a shorter name.";
        if (name.AsSpan().IndexOfAnyExcept(Allowed) is var bad and >= 0)
            return $"The file name contains '{Printable(name[bad])}' (position {bad + 1}): use only letters, digits, '.', '_' " +
                "and '-'. Folders and paths are not accepted; every file lives in your session folder.";
        if (name[0] == '.')
            return "The file name starts with '.': hidden files and '..' are not accepted. Choose a name starting with a letter or digit.";
        if (name.Contains("..", StringComparison.Ordinal))
            return "The file name contains '..': choose a name without two dots in a row.";
        return null;
    }

    /// <summary>
    /// Maps <paramref name="name"/> into <paramref name="sessionFolder"/> and checks that the result, after following
    /// symlinks (the folder's own and the file's), is still inside the folder. A missing file is fine: the path is
    /// where it would be created.
    /// </summary>
    public static bool TryResolve(string sessionFolder, string? name, [NotNullWhen(true)] out string? path,
        [NotNullWhen(false)] out string? error)
    {
        path = null;
        if ((error = Validate(name)) is not null)
            return false;
        var folder = RealPath(Path.GetFullPath(sessionFolder));
        var candidate = Path.Combine(folder, name!);
        string target;
        try
        {
            var info = new FileInfo(candidate);
            target = info.LinkTarget is null ? candidate : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? candidate;
        }
        catch (IOException)
        {
            // A link loop or a link into nowhere the system refuses to follow: not a file we will touch.
            error = "The file name refers to a link that cannot be followed; choose another name.";
            return false;
        }
        if (!IsInside(RealPath(target), folder))
        {
            // The agent learns only that the name is unusable; where the link points stays in the server.
            error = "The file name refers to a link pointing outside your session folder; choose another name.";
            return false;
        }
        path = candidate;
        return true;
    }

    private static bool IsInside(string path, string folder) =>
        path.StartsWith(folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar,
            StringComparison.Ordinal);

    /// <summary>The path with every symlink along it followed (as far as the path exists).</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            current = info.LinkTarget is null ? next
                : Path.GetFullPath(info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? next);
        }
        return current;
    }

    private static string Printable(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c.ToString();
}
