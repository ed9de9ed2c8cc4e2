using MatlabMcp.Configuration;
using MatlabMcp.Security;

namespace MatlabMcp.Endpoints;

/// <summary>A test file found for a run: how it is shown, where the engine finds it, and its text (what the policy checks).</summary>
internal sealed record FoundTestFile(string Display, string EnginePath, string Text, IReadOnlyList<TestBlock>? Blocks);

internal sealed partial class TestTools
{
    /// <summary>Test files one call runs at most: a folder with more is refused (a subfolder or a file is what to pass).</summary>
    internal const int MaxFiles = 50;

    /// <summary>.m files looked at in a folder at most (a folder of data or a whole toolbox is not a test folder).</summary>
    internal const int MaxScanned = 1000;

    /// <summary>How deep a folder is searched for test files.</summary>
    internal const int MaxDepth = 8;

    /// <summary>
    /// The test files <paramref name="path"/> names: one file, or the test files of a folder and its subfolders (links and
    /// hidden entries skipped, every file resolved again by <see cref="CodePaths"/>, so none lies outside what may run).
    /// </summary>
    private async Task<(List<FoundTestFile>? Files, string? Refusal)> FindAsync(string path, CodeFile where, CancellationToken cancellationToken)
    {
        var folders = where.Folders;
        var asFile = path.EndsWith(".m", StringComparison.Ordinal);
        if (!asFile && paths.Resolve(path, folders, out var folder, folder: true) is null)
            return await FolderAsync(folder!, folders, cancellationToken);
        var candidate = asFile ? path : path + ".m";
        if (paths.Resolve(candidate, folders, out var file) is { } refused)
            return (null, asFile || path.Any(char.IsControl) ? refused : paths.Resolve(path, folders, out _, folder: true) ?? refused);
        var (found, problem) = await ReadAsync(file!, folders, cancellationToken);
        if (found is null)
            return (null, problem);
        if (found.Blocks is { } blocks && !TestFiles.HasTests(blocks))
            return (null, $"'{found.Display}' has no test blocks: Octave tests are lines beginning %!test, %!assert, %!error, " +
                "%!warning, %!fail, %!xtest or %!testif (see 'help test'), e.g. \"%!assert (my_fn (2), 4)\".");
        return ([found], null);
    }

    private async Task<(List<FoundTestFile>? Files, string? Refusal)> FolderAsync(CodePath folder, SessionFolders folders,
        CancellationToken cancellationToken)
    {
        var search = new EnumerationOptions
        {
            RecurseSubdirectories = true, MaxRecursionDepth = MaxDepth, IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden, MatchCasing = MatchCasing.CaseSensitive,
        };
        var candidates = Directory.EnumerateFiles(folder.HostPath, "*.m", search).Take(MaxScanned + 1)
            .Select(f => Path.GetRelativePath(folder.HostPath, f).Replace('\\', '/')).ToList();
        if (candidates.Count > MaxScanned)
            return (null, $"'{folder.Display}' holds more than {MaxScanned} .m files (in it and its subfolders): pass the folder " +
                "that holds the tests, or one test file.");
        candidates.Sort(StringComparer.Ordinal);
        var found = new List<FoundTestFile>();
        var chars = 0L;
        foreach (var relative in candidates)
        {
            var name = folder.InProject ? $"{folder.HostPath.TrimEnd('/')}/{relative}"
                : folder.Display == "." ? relative : $"{folder.Display}/{relative}";
            if (paths.Resolve(name, folders, out var file) is not null)
                continue; // a name the file rules refuse is not code that may run
            if (IsMatlab && !LooksLikeMatlabTest(relative))
                continue;
            var (test, _) = await ReadAsync(file!, folders, cancellationToken);
            if (test is null || (test.Blocks is { } blocks && !TestFiles.HasTests(blocks)))
                continue;
            if (found.Count == MaxFiles)
                return (null, $"'{folder.Display}' holds more than {MaxFiles} test files; run_tests runs at most {MaxFiles} a " +
                    "call: pass a subfolder, or one file.");
            // All of it is checked and sent as one run: past execution.max_code_chars it would be refused anyway, so stop reading.
            chars += test.Text.Length;
            if (chars > execution.Value.MaxCodeChars)
                return (null, $"The test files in '{folder.Display}' hold more than {execution.Value.MaxCodeChars:N0} characters together " +
                    "(execution.max_code_chars): pass a subfolder, or one file.");
            found.Add(test);
        }
        if (found.Count == 0)
            return (null, $"No test files in '{folder.Display}' or its subfolders: " + (IsMatlab
                ? "MATLAB test files are .m files whose names start or end with \"test\"."
                : "an Octave test file is a .m file with %!test, %!assert or %!error blocks (see 'help test')."));
        return (found, null);
    }

    private async Task<(FoundTestFile? File, string? Problem)> ReadAsync(CodePath file, SessionFolders folders, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await CodePaths.ReadTextAsync(file, folders, execution.Value.MaxCodeChars, cancellationToken);
        }
        catch (CodePathException e)
        {
            return (null, e.Message);
        }
        return (new FoundTestFile(file.Display, file.EnginePath, text, IsMatlab ? null : TestFiles.Parse(text)), null);
    }

    /// <summary>runtests' own rule for a folder: a file whose name starts or ends with "test".</summary>
    private static bool LooksLikeMatlabTest(string relative)
    {
        var name = Path.GetFileNameWithoutExtension(relative);
        return name.StartsWith("test", StringComparison.OrdinalIgnoreCase) || name.EndsWith("test", StringComparison.OrdinalIgnoreCase);
    }

    private bool IsMatlab => engine.Value.Kind == EngineKind.Matlab;
}
