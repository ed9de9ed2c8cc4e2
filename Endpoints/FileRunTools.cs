using System.ComponentModel;
using System.Text.Json;
using MatlabMcp.Configuration;
using MatlabMcp.Execution;
using MatlabMcp.Output.Code;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>
/// Running code from files: run_file (a script in the workspace, or a function with arguments as data), list_sections and
/// run_section (<c>%%</c> cells). Thin over <see cref="CodeRunner"/>: the file's text is the code the policy checks and the
/// audit records, and the run is execute_code's (jobs, progress, figures, output budget).
/// </summary>
[McpServerToolType]
internal sealed class FileRunTools(CodeRunner runner, IOptions<ExecutionOptions> options)
{
    private const string PathHelp = "The .m file: relative to your session folder (e.g. \"analysis.m\"), or an absolute path inside a " +
        "project folder the server names (execution.project_folders).";
    private const string TimeoutHelp = "Seconds it may run before it is interrupted (optional; server default applies).";
    private const string FigureHelp = "Figures it draws: \"png\" (default), \"svg\", \"plotly\" or \"none\" (left open), as execute_code.";
    private const string OutputHelp = "Most characters of printed output to return (optional), as execute_code.";

    [McpServerTool(Name = "run_file", Title = "Run a MATLAB/Octave file", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false)]
    [Description("Runs an .m file in your session. A script runs in the session workspace (its variables stay there); a " +
        "function is called with args and its outputs are returned (\"Returned: [...]\"). Errors carry the file's line numbers. " +
        "Output, errors, jobs, progress and figures as execute_code; the file's text passes the same code checks. The working " +
        "folder stays your session folder; the file's folder is added to the path.")]
    public async Task<CallToolResult> RunFileAsync(
        RequestContext<CallToolRequestParams> request,
        [Description(PathHelp)] string path,
        [Description("A function's arguments as a JSON array, e.g. [3, \"text\", [1,2,3], [[1,2],[3,4]], {\"a\":1}, true]: arrays " +
            "become row vectors, arrays of rows matrices, arrays of strings cellstr rows, objects structs. Passed as data, never as " +
            "code. Scripts take none.")] JsonElement? args = null,
        [Description(CodeTools.SessionHelp)] string? session = null,
        [Description(CodeRunner.ProjectPathHelp)] string? project_path = null,
        [Description(TimeoutHelp)] double? timeout_seconds = null,
        [Description(CodeTools.WaitHelp)] double? wait_seconds = null,
        [Description(FigureHelp)] string? figure_format = null,
        [Description(OutputHelp)] int? max_output_chars = null,
        CancellationToken cancellationToken = default)
    {
        var identity = CallerIdentity.Of(request.User);
        if (runner.Resolve(identity, session, path, project_path, out var file) is { } refused)
            return ResultBuilder.Error(refused);
        var target = file!.Path!;
        if (FunctionName(target) is not { } name)
            return ResultBuilder.Error($"'{target.Display}' cannot be run: run_file runs .m files whose name is a MATLAB name " +
                "(a letter, then letters, digits or '_'; at most 63), such as \"analysis.m\".");
        var (mfile, unreadable) = await ReadAsync(file, cancellationToken);
        if (mfile is null)
            return ResultBuilder.Error(unreadable!);
        // The engine runs the file only while its bytes are the text checked here: a lossy decoding could never match.
        if (mfile.Text.Contains('\uFFFD'))
            return ResultBuilder.Error($"'{target.Display}' is not valid UTF-8 text: save it as UTF-8 (Octave reads .m files as UTF-8).");
        var arguments = FileArguments.Parse(args, options.Value.MaxCodeChars, out var badArgs);
        if (badArgs is not null)
            return ResultBuilder.Error(badArgs);
        EngineCall call;
        switch (mfile.File.Kind)
        {
            case MFileKind.Class:
                return ResultBuilder.Error($"'{target.Display}' is a class definition (classdef): create and use its objects with execute_code.");
            case MFileKind.Script when arguments.Count > 0:
                return ResultBuilder.Error($"'{target.Display}' is a script, and scripts take no arguments: set the variables it " +
                    "reads with execute_code first, or make it a function (its first statement 'function ...').");
            case MFileKind.Script:
                call = new EngineCall("mcp_bridge_run", [Text(target.EnginePath), Text(mfile.Text), Text(target.Display)], Outputs: 0);
                break;
            default:
                if (name.StartsWith("mcp_bridge", StringComparison.Ordinal))
                    return ResultBuilder.Error($"'{name}' is a name the server's bridge uses: rename the file.");
                call = new EngineCall("mcp_bridge_run_function",
                    [Text(target.EnginePath), Text(mfile.Text), Text(target.Display), .. arguments], mfile.File.Outputs);
                break;
        }
        var run = new ExecutionRequest(identity, Noted(mfile.Text, $"run_file {target.Display}"), session, timeout_seconds, runner.SessionWait(wait_seconds),
            figure_format, max_output_chars) { Call = call, AddPath = file.AddPath };
        return (await runner.RunAsync(request, run, cancellationToken)).Result;
    }

    [McpServerTool(Name = "list_sections", Title = "List the %% sections of a file", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false)]
    [Description("Lists the %% cells of an .m file (index, title, lines), for run_section. Reads the file only; nothing runs.")]
    public async Task<CallToolResult> ListSectionsAsync(
        RequestContext<CallToolRequestParams> request,
        [Description(PathHelp)] string path,
        [Description(CodeTools.SessionHelp)] string? session = null,
        CancellationToken cancellationToken = default)
    {
        if (runner.Resolve(CallerIdentity.Of(request.User), session, path, null, out var file) is { } refused)
            return ResultBuilder.Error(refused);
        var (mfile, unreadable) = await ReadAsync(file!, cancellationToken);
        if (mfile is null)
            return ResultBuilder.Error(unreadable!);
        var report = new SectionListReport(mfile.File.KindName, mfile.File.Sections());
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = SectionText.Listing(file!.Path!.Display, mfile.File, report.Sections) }],
            StructuredContent = JsonSerializer.SerializeToElement(report, AppJson.Default.SectionListReport),
        };
    }

    [McpServerTool(Name = "run_section", Title = "Run one %% section of a file", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false)]
    [Description("Runs one %% cell of a script in your session workspace, as execute_code runs code (same checks, jobs, " +
        "figures). Errors and policy findings carry the file's line numbers. See list_sections for the cells.")]
    public async Task<CallToolResult> RunSectionAsync(
        RequestContext<CallToolRequestParams> request,
        [Description(PathHelp)] string path,
        [Description("The cell: its 1-based index (2 or \"2\"), or its title (exact, else a unique case-insensitive prefix).")]
        JsonElement section,
        [Description(CodeTools.SessionHelp)] string? session = null,
        [Description(CodeRunner.ProjectPathHelp)] string? project_path = null,
        [Description(TimeoutHelp)] double? timeout_seconds = null,
        [Description(CodeTools.WaitHelp)] double? wait_seconds = null,
        [Description(FigureHelp)] string? figure_format = null,
        [Description(OutputHelp)] int? max_output_chars = null,
        CancellationToken cancellationToken = default)
    {
        var identity = CallerIdentity.Of(request.User);
        if (runner.Resolve(identity, session, path, project_path, out var file) is { } refused)
            return ResultBuilder.Error(refused);
        var target = file!.Path!;
        var (mfile, unreadable) = await ReadAsync(file, cancellationToken);
        if (mfile is null)
            return ResultBuilder.Error(unreadable!);
        if (mfile.File.Kind != MFileKind.Script)
            return ResultBuilder.Error($"'{target.Display}' is a {mfile.File.KindName} file: as in MATLAB, only a script's sections " +
                "run on their own. Call the function with run_file.");
        var sections = mfile.File.Sections();
        if (SectionText.Find(section, sections, out var chosen) is { } notFound)
            return ResultBuilder.Error(notFound + "\n" + SectionText.Listing(target.Display, mfile.File, sections));
        // The file's folder joins the path as run_file does (for the functions beside it), unless project_path names one.
        var folder = Path.GetDirectoryName(target.EnginePath);
        var addPath = file.AddPath ?? (folder == file.Folders.Engine.TrimEnd('/') ? null : folder);
        // The note takes the first padding line when there is one: the audit keeps the code's start as its excerpt.
        var cell = mfile.File.CellCode(chosen!);
        var note = $"% run_section {target.Display} {chosen!.Index}";
        var code = cell.StartsWith('\n') ? note + cell : Noted(cell, note[2..]);
        var run = new ExecutionRequest(identity, code, session, timeout_seconds, runner.SessionWait(wait_seconds),
            figure_format, max_output_chars) { AddPath = addPath };
        var result = (await runner.RunAsync(request, run, cancellationToken)).Result;
        if (result.Content.FirstOrDefault() is TextContentBlock first)
            first.Text = $"[{SectionText.Name(chosen!)} of {target.Display}, lines {chosen!.StartLine}-{chosen.EndLine}]\n{first.Text}";
        return result;
    }

    private sealed record ReadFile(string Text, MFile File);

    /// <summary>The file's text and shape, or why not (unreadable, too long, empty).</summary>
    private async Task<(ReadFile? File, string? Problem)> ReadAsync(CodeFile file, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await runner.ReadAsync(file, cancellationToken);
        }
        catch (CodePathException e)
        {
            return (null, e.Message);
        }
        return string.IsNullOrWhiteSpace(text)
            ? (null, $"'{file.Path!.Display}' is empty: nothing to run.")
            : (new ReadFile(text, MFile.Parse(text)), null);
    }

    /// <summary>The function a file defines: its name without .m, when that is a MATLAB name.</summary>
    private static string? FunctionName(CodePath path)
    {
        var name = Path.GetFileName(path.HostPath);
        if (!name.EndsWith(".m", StringComparison.Ordinal))
            return null;
        name = name[..^2];
        return name.Length is > 0 and <= 63 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? name : null;
    }

    /// <summary>
    /// The code with a last comment line naming the file, so the audit says what ran from where (in its excerpt, the code's
    /// first 500 characters, for a short file; the SHA-256 names a longer one). Last, so every line above keeps its number; the
    /// path holds no control character (CodePaths refused those), so it cannot end the comment.
    /// </summary>
    private static string Noted(string code, string note) => $"{code}{(code.EndsWith('\n') ? "" : "\n")}% {note}";

    private static EngineArgument Text(string value) => new(JsonSerializer.SerializeToElement(value, AppJson.Default.String), "string");
}
