using System.Runtime.InteropServices;
using System.Text;
using MatlabMcp.Configuration;
using MatlabMcp.Output.Files;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Security;

/// <summary>Where one session's folder is for the server (<see cref="Host"/>) and for its engine (<see cref="Engine"/>:
/// inside the sandbox it is mounted elsewhere).</summary>
internal sealed record SessionFolders(string Host, string Engine);

/// <summary>
/// A code file or folder a tool was given, resolved: where the server reads it, the path the engine uses, and what to
/// show the agent (the relative path for a session file; the project path otherwise).
/// </summary>
internal sealed record CodePath(string HostPath, string EnginePath, bool InProject, string Display)
{
    /// <summary>The path relative to the session folder, for a session file; null for a project file.</summary>
    public string? SessionRelative => InProject ? null : Display;
}

/// <summary>A code path that cannot be read, with a message for the agent.</summary>
internal sealed class CodePathException(string message) : Exception(message);

/// <summary>
/// The one rule for a path a tool runs or reads code from (run_file, run_tests, check_code, sections, project_path):
/// relative means the caller's session folder (the file tools' names, walked without following links out); absolute
/// means inside one of execution.project_folders once every link is resolved, and never a path the sandbox hides (the
/// config, tokens, job database). Anything else is refused with a message saying what is accepted.
/// </summary>
internal sealed partial class CodePaths
{
    /// <summary>Longest absolute path accepted (PATH_MAX is 4096; a project path is far shorter).</summary>
    public const int MaxAbsoluteChars = 1024;

    private readonly string[] _projects;
    private readonly string[] _hidden;

    public CodePaths(IOptions<ExecutionOptions> options, EngineSandbox sandbox)
    {
        _projects = [.. options.Value.ProjectFolders.Select(f => RealPath(f) ?? Path.GetFullPath(f))];
        _hidden = [.. sandbox.HiddenPaths.Select(h => RealPath(h) ?? Path.GetFullPath(h))];
    }

    /// <summary>The project folders with every link resolved: where engines see them and where paths must land.</summary>
    public IReadOnlyList<string> ProjectFolders => _projects;

    /// <summary>What is accepted, for messages.</summary>
    public string Accepted => _projects.Length == 0
        ? "a path relative to your session folder, such as \"analysis.m\" or \"tests/test_model.m\" (no project folders are configured)"
        : $"a path relative to your session folder, such as \"analysis.m\", or an absolute path inside a project folder ({string.Join(", ", _projects)})";

    /// <summary>Resolves a code file (<paramref name="folder"/> false) or folder; the refusal for the agent, or null.</summary>
    public string? Resolve(string? path, SessionFolders session, out CodePath? resolved, bool folder = false)
    {
        resolved = null;
        if (string.IsNullOrEmpty(path))
            return $"No path given: pass {Accepted}.";
        if (path.Any(char.IsControl))
            return $"The path contains a control character: pass {Accepted}.";
        return path[0] == '/' ? ResolveProject(path, folder, out resolved) : ResolveSession(path, session, folder, out resolved);
    }

    private string? ResolveSession(string path, SessionFolders session, bool folder, out CodePath? resolved)
    {
        resolved = null;
        var relative = path.StartsWith("./", StringComparison.Ordinal) ? path[2..] : path;
        if (relative.Length == 0 || relative == ".")
        {
            if (!folder)
                return $"'{path}' is your session folder, not a file: pass {Accepted}.";
            resolved = new CodePath(session.Host, session.Engine, false, ".");
            return null;
        }
        if (FileNames.ValidatePath(relative) is { } problem)
            return problem;
        using var confined = ConfinedFolder.Open(session.Host);
        if (confined is null)
            return "Your session folder does not exist yet: run code in the session first (or upload the file with upload_file).";
        if (confined.OpenRead(relative, out var handle, out var kind, out _) is { } refused)
            return refused.Message;
        handle!.Dispose();
        if (KindProblem(relative, kind == FileKind.Folder, folder) is { } wrong)
            return wrong;
        resolved = new CodePath(Path.Combine(session.Host, relative), $"{session.Engine.TrimEnd('/')}/{relative}", false, relative);
        return null;
    }

    private string? ResolveProject(string path, bool folder, out CodePath? resolved)
    {
        resolved = null;
        if (path.Length > MaxAbsoluteChars)
            return $"The path is {path.Length} characters; the limit is {MaxAbsoluteChars}.";
        if (_projects.Length == 0)
            return $"'{Shown(path)}' is an absolute path, and no project folders are configured (execution.project_folders): " +
                "pass a path relative to your session folder, or ask the server's admin to add the project's folder.";
        var real = RealPath(path);
        var project = real is null ? null : _projects.FirstOrDefault(p => Within(real, p));
        if (real is null || project is null)
            return $"'{Shown(path)}' is not inside a project folder (execution.project_folders: {string.Join(", ", _projects)}), " +
                "or does not exist there: pass " + Accepted + ".";
        if (_hidden.Any(h => Within(real, h)))
            return $"'{Shown(path)}' is a path the server keeps from engines (its configuration, tokens or job database).";
        if (!Directory.Exists(real) && !File.Exists(real))
            return $"'{Shown(path)}' is not a file or folder (a pipe, socket or device).";
        if (KindProblem(path, Directory.Exists(real), folder) is { } wrong)
            return wrong;
        resolved = new CodePath(real, real, true, real);
        return null;
    }

    private static string? KindProblem(string path, bool isFolder, bool wantFolder) => (isFolder, wantFolder) switch
    {
        (true, false) => $"'{Shown(path)}' is a folder; pass a file in it.",
        (false, true) => $"'{Shown(path)}' is a file; pass the folder that holds it.",
        _ => null,
    };

    /// <summary>A code file's text, at most <paramref name="maxChars"/> characters; a <see cref="CodePathException"/> says why not.</summary>
    public static async Task<string> ReadTextAsync(CodePath path, SessionFolders session, int maxChars, CancellationToken cancellationToken)
    {
        // UTF-8 takes at most 4 bytes a character: a file over that cannot fit, and nothing larger is read into memory.
        var maxBytes = (long)maxChars * 4;
        byte[] bytes;
        if (path.SessionRelative is { } relative)
            bytes = ConfinedFolder.ReadAll(session.Host, relative, maxBytes, out var problem)
                ?? throw new CodePathException($"Could not read '{relative}': {problem}.");
        else
        {
            var info = new FileInfo(path.HostPath);
            if (!info.Exists || info.Length > maxBytes)
                throw new CodePathException(info.Exists ? $"'{path.Display}' is {info.Length:N0} bytes, more than the {maxBytes:N0} allowed."
                    : $"'{path.Display}' does not exist.");
            bytes = await File.ReadAllBytesAsync(path.HostPath, cancellationToken);
        }
        var text = Encoding.UTF8.GetString(bytes);
        return text.Length <= maxChars ? text
            : throw new CodePathException($"'{path.Display}' has {text.Length:N0} characters; the limit is {maxChars:N0} (execution.max_code_chars).");
    }

    /// <summary>The path with every link resolved (realpath(3)), or null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        var buffer = new byte[4096];
        return RealPathNative(path, buffer) == 0 ? null : Encoding.UTF8.GetString(buffer, 0, Array.IndexOf(buffer, (byte)0));
    }

    private static bool Within(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static string Shown(string text) => text.Length > 120 ? text[..120] + "…" : text;

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint RealPathNative(string path, [Out] byte[] resolved);
}
