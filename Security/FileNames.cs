using System.Buffers;

namespace MatlabMcp.Security;

/// <summary>
/// The rules every file tool applies to a path the agent gives: relative to the session folder, made of plain names
/// separated by '/'. Checked as text here; where it lands on disk is checked while it is opened, one component at a
/// time without following links the kernel would follow (<see cref="ConfinedFolder"/>), because a link planted by the
/// engine could point anywhere, and could be planted between a check and an open.
/// </summary>
internal static class FileNames
{
    /// <summary>Longest name of one file or folder accepted; well below NAME_MAX (255) so suffixes such as ".tmp" still fit.</summary>
    public const int MaxLength = 128;

    /// <summary>Longest relative path accepted, and the most folders deep it may reach.</summary>
    public const int MaxPathLength = 512, MaxDepth = 12;

    /// <summary>What the messages say is allowed, once.</summary>
    public const string Allowed = "a path relative to your session folder, such as \"data.csv\" or \"results/run1.mat\": names of " +
        "letters, digits, spaces (not first or last), '.', '_', '-', '+' and '@', separated by '/'";

    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-+@ ");

    // Names Windows reserves for devices in any folder and with any extension (MATLAB on Windows comes later).
    private static readonly HashSet<string> DeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>Why <paramref name="name"/> (one file or folder name) is not acceptable, or null when it is.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return $"No file name given: pass {Allowed}.";
        if (name.Length > MaxLength)
            return $"The name '{Shown(name)}' is {name.Length} characters; the limit is {MaxLength}. Choose a shorter name.";
        if (name.AsSpan().IndexOfAnyExcept(NameChars) is var bad and >= 0)
            return $"The name '{Shown(name)}' contains {Printable(name[bad])} (position {bad + 1}): use {Allowed}. " +
                "Absolute paths and other folders are not reachable; every file lives in your session folder.";
        if (name[0] == '.')
            return $"The name '{Shown(name)}' starts with '.': hidden files, '.' and '..' are not accepted. Choose a name starting with a letter or digit.";
        if (name.Contains("..", StringComparison.Ordinal))
            return $"The name '{Shown(name)}' contains '..': choose a name without two dots in a row.";
        if (name[0] == ' ' || name[^1] == ' ')
            return $"The name '{Shown(name)}' starts or ends with a space: remove it.";
        if (DeviceNames.Contains(name.Split('.')[0]))
            return $"The name '{Shown(name)}' is a device name on Windows; choose another name.";
        return null;
    }

    /// <summary>Why <paramref name="path"/> (relative, '/'-separated) is not acceptable, or null when it is.</summary>
    public static string? ValidatePath(string? path)
    {
        if (string.IsNullOrEmpty(path))
            return $"No path given: pass {Allowed}.";
        if (path.Length > MaxPathLength)
            return $"The path is {path.Length} characters; the limit is {MaxPathLength}. Choose a shorter path.";
        if (path[0] == '/' || path[0] == '\\' || (path.Length > 1 && path[1] == ':'))
            return $"'{Shown(path)}' is an absolute path: pass {Allowed}.";
        if (path.Contains('\\', StringComparison.Ordinal))
            return $"'{Shown(path)}' contains '\\': separate folders with '/'; pass {Allowed}.";
        var parts = path.Split('/');
        if (parts.Length > MaxDepth)
            return $"'{Shown(path)}' is {parts.Length} levels deep; the limit is {MaxDepth}.";
        foreach (var part in parts)
            if (part.Length == 0)
                return $"'{Shown(path)}' has an empty part ('//' or a '/' at an end): pass {Allowed}.";
            else if (Validate(part) is { } problem)
                return problem;
        return null;
    }

    /// <summary>The names of a path <see cref="ValidatePath"/> accepted.</summary>
    public static string[] Components(string path) => path.Split('/');

    /// <summary>The path shown back in a message: control characters escaped, long ones shortened.</summary>
    private static string Shown(string text)
    {
        var escaped = string.Concat(text.Take(80).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return text.Length > 80 ? escaped + "…" : escaped;
    }

    private static string Printable(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";
}
