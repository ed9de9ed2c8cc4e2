using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MatlabMcp.Configuration;
using MatlabMcp.Output;
using MatlabMcp.Output.Discovery;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>
/// Discovery in the caller's session, so functions on its path (session folder, project folders) are found too.
/// help, which, the toolbox list and a folder listing are quick reads of files and the symbol table: they go as bridge
/// requests like get_variable (no job, no audit row, no folder snapshot: ~ms). find_functions may scan every help text
/// on the path, so it runs as a job through ExecutionService, with a time limit and interrupt (HelpTools.Find.cs).
/// Every name is data: checked here (Security/DiscoveryNames) and again in matlab/private/mcp_bridge_help.m.
/// </summary>
[McpServerToolType]
internal sealed partial class HelpTools(SessionRegistry sessions, CodeRunner runner, IOptions<OutputOptions> output)
{
    // Shorter than the execution tools' texts: every tool's schema is in the agent's context on every turn.
    private const string SessionHelp = "Session name (optional; default main).";
    private const string ProjectPathHelp =
        "A folder to add to the session's path first (optional): session-relative or inside a project folder.";

    /// <summary>Names list_functions returns at most (the total is always given).</summary>
    internal const int MaxFunctions = 300;

    [McpServerTool(Name = "get_help", Title = "Help of a function", ReadOnly = true, Destructive = false, Idempotent = true,
        OpenWorld = false)]
    [Description("The help text of a function, class or package function in your session: built-ins, toolboxes, and " +
        "your own .m files (session folder, project folders). Also documents this server's helpers: mcp_progress. " +
        "At most output.max_output_chars characters.")]
    public async Task<CallToolResult> GetHelpAsync(
        RequestContext<CallToolRequestParams> request,
        [Description("A function or class name, e.g. \"sum\", \"containers.Map\", \"myfunction\".")] string name,
        [Description(SessionHelp)] string? session = null,
        [Description(ProjectPathHelp)] string? project_path = null,
        CancellationToken cancellationToken = default)
    {
        if (DiscoveryNames.NameProblem(name) is { } problem)
            return ResultBuilder.Error(problem);
        var max = output.Value.MaxOutputChars;
        var (help, error, notice) = await AskAsync(request, session, project_path, BridgeRequest.Help, name, DiscoveryJson.Default.HelpFrame,
            maxChars: max, cancellationToken: cancellationToken);
        if (help is null)
            return ResultBuilder.Error(error!);
        var text = new StringBuilder();
        if (notice is not null)
            text.AppendLine(notice);
        var body = help.PlainText(name);
        text.Append(body.Length > max ? body[..max] : body);
        if (help.Truncated || body.Length > max)
            text.Append(CultureInfo.InvariantCulture, $"\n[... cut at {max:N0} characters (output.max_output_chars) ...]");
        if (body.Length == 0)
            text.Append(CultureInfo.InvariantCulture, $"{name} has no help text.");
        return ResultBuilder.Text(text.ToString());
    }

    [McpServerTool(Name = "which", Title = "Where a name is defined", ReadOnly = true, Destructive = false, Idempotent = true,
        OpenWorld = false)]
    [Description("What a name is in your session: kind (variable, builtin, file, compiled, class, not found), the file " +
        "(relative to the session folder for your files), a variable's class and size, and what a variable hides.")]
    public async Task<CallToolResult> WhichAsync(
        RequestContext<CallToolRequestParams> request,
        [Description("A function, class or variable name, e.g. \"sum\" or \"x\".")] string name,
        [Description(SessionHelp)] string? session = null,
        [Description(ProjectPathHelp)] string? project_path = null,
        CancellationToken cancellationToken = default)
    {
        if (DiscoveryNames.NameProblem(name) is { } problem)
            return ResultBuilder.Error(problem);
        var (found, error, notice) = await AskAsync(request, session, project_path, BridgeRequest.Which, name, DiscoveryJson.Default.WhichReport,
            cancellationToken: cancellationToken);
        if (found is null)
            return ResultBuilder.Error(error!);
        var report = found with
        {
            Path = Blank(found.Path),
            Class = Blank(found.Class),
            Size = found.Kind == "variable" ? found.Size : null,
            Shadows = Blank(found.Shadows),
            Note = Blank(found.Note),
        };
        var line = report.Kind switch
        {
            "variable" => $"{name}: variable, {report.Class} {string.Join('x', report.Size ?? [])}",
            "not found" => $"{name}: not found on this session's path (find_functions searches by keyword)",
            _ => $"{name}: {report.Kind}{(report.Path is null ? "" : " " + report.Path)}{(report.InSession ? " (session folder)" : "")}",
        };
        if (report.Shadows is not null)
            line += $"; it hides the {report.Shadows}";
        if (report.Note is not null)
            line += $"; {report.Note}";
        return Structured(Prefixed(notice, line), JsonSerializer.SerializeToElement(report, DiscoveryJson.Default.WhichReport));
    }

    [McpServerTool(Name = "list_toolboxes", Title = "Installed toolboxes", ReadOnly = true, Destructive = false, Idempotent = true,
        OpenWorld = false)]
    [Description("The engine (name, version), its installed toolboxes/packages with version and whether loaded, and the " +
        "engine's own function folders; list_functions takes any of these names.")]
    public async Task<CallToolResult> ListToolboxesAsync(
        RequestContext<CallToolRequestParams> request,
        [Description(SessionHelp)] string? session = null,
        CancellationToken cancellationToken = default)
    {
        var (found, error, notice) = await AskAsync(request, session, null, BridgeRequest.Toolboxes, null, DiscoveryJson.Default.ToolboxesReport,
            cancellationToken: cancellationToken);
        if (found is null)
            return ResultBuilder.Error(error!);
        // Package names and versions come from files a session can write (pkg's list): escaped in both forms.
        var report = new ToolboxesReport(
            [.. found.Toolboxes.Select(t => new ToolboxEntry(ClientText.Escape(t.Name), ClientText.Escape(t.Version), t.Loaded))],
            [.. found.Folders.Select(ClientText.Escape)]);
        var text = string.Join('\n', report.Toolboxes.Select(t => $"{t.Name} {t.Version}{(t.Loaded ? "" : " (not loaded: pkg load " + t.Name + ")")}"));
        if (report.Folders.Count > 0)
            text += "\nfunction folders: " + string.Join(", ", report.Folders);
        return Structured(Prefixed(notice, text), JsonSerializer.SerializeToElement(report, DiscoveryJson.Default.ToolboxesReport));
    }

    [McpServerTool(Name = "list_functions", Title = "Functions of a toolbox", ReadOnly = true, Destructive = false, Idempotent = true,
        OpenWorld = false)]
    [Description("The function names of one toolbox/package or engine function folder (a name list_toolboxes shows, e.g. " +
        "\"linear-algebra\"). Names only: get_help explains one, find_functions searches by keyword.")]
    public async Task<CallToolResult> ListFunctionsAsync(
        RequestContext<CallToolRequestParams> request,
        [Description("A toolbox, package or function folder name from list_toolboxes, e.g. \"linear-algebra\".")] string toolbox,
        [Description(SessionHelp)] string? session = null,
        CancellationToken cancellationToken = default)
    {
        if (DiscoveryNames.ToolboxProblem(toolbox) is { } problem)
            return ResultBuilder.Error(problem);
        var (found, error, notice) = await AskAsync(request, session, null, BridgeRequest.Functions, toolbox, DiscoveryJson.Default.FunctionsReport,
            maxElements: MaxFunctions, cancellationToken: cancellationToken);
        if (found is null)
            return ResultBuilder.Error(error!);
        var report = found with { Functions = [.. found.Functions.Select(ClientText.Escape)] }; // file names: anything but '/
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"{report.Toolbox} ({report.Kind}, {report.Total:0} functions{(report.Loaded ? "" : "; not loaded: pkg load " + report.Toolbox)}): ");
        text.AppendJoin(", ", report.Functions);
        if (report.Total > report.Functions.Count)
            text.Append(CultureInfo.InvariantCulture, $" … and {report.Total - report.Functions.Count:0} more (find_functions narrows by keyword)");
        return Structured(Prefixed(notice, text.ToString()), JsonSerializer.SerializeToElement(report, DiscoveryJson.Default.FunctionsReport));
    }

    /// <summary>
    /// One discovery request in the caller's session: the bridge's answer read as <typeparamref name="T"/>, or why not
    /// (a refusal the bridge gave, a busy session, an engine that would not start), and any notice the caller must see.
    /// </summary>
    private async Task<(T? Value, string? Error, string? Notice)> AskAsync<T>(RequestContext<CallToolRequestParams> request,
        string? session, string? projectPath, string op, string? name, JsonTypeInfo<T> type, int? maxChars = null, int? maxElements = null,
        CancellationToken cancellationToken = default) where T : class
    {
        var identity = CallerIdentity.Of(request.User);
        if (runner.Resolve(identity, session, null, projectPath, out var folders, pathRequired: false) is { } refused)
            return (null, refused, null);
        try
        {
            using var lease = await sessions.AcquireAsync(identity, session, cancellationToken);
            // A project folder joins the session's path as with execute_code's project_path (it stays for later calls).
            if (folders!.AddPath is { } addPath
                && await lease.Engine.SendAsync(BridgeRequest.AddPath, code: addPath).WaitAsync(cancellationToken) is { Ok: false } failed)
                return (null, $"project_path could not be added: {failed.Error?.Message}", null);
            var response = await lease.Engine.SendAsync(id => new BridgeRequest(id, op, Name: name, MaxChars: maxChars,
                MaxElements: maxElements)).WaitAsync(cancellationToken);
            if (!response.Ok || response.Discovery is not { } value)
                return (null, Refusal(response.Error), null);
            return (value.Deserialize(type), null, ClientText.EscapeOrNull(lease.Notice));
        }
        catch (Exception e) when (e is EngineStartException or EngineDiedException or CapacityException)
        {
            return (null, e.Message, null);
        }
        catch (JsonException)
        {
            return (null, "The engine's answer could not be read; try again or ask with execute_code.", null);
        }
    }

    /// <summary>The bridge's own refusal (a name it does not know, a refused name), as a sentence for the caller.</summary>
    private static string Refusal(EngineError? error) => error switch
    {
        { Identifier: var id, Message.Length: > 0 } when id.StartsWith("mcp:help:", StringComparison.Ordinal) =>
            char.ToUpperInvariant(error.Message[0]) + error.Message[1..] + ".",
        null => "The engine gave no answer.",
        _ => $"The engine could not answer: {error.Message}",
    };

    private static string? Blank(string? text) => string.IsNullOrEmpty(text) ? null : ClientText.Escape(text);

    private static string Prefixed(string? notice, string text) => notice is null ? text : notice + "\n" + text;

    /// <summary>Short text for people and clients that show text, the same facts as structured content for programs.</summary>
    private static CallToolResult Structured(string text, JsonElement structured) => new()
    {
        Content = [new TextContentBlock { Text = ClientText.Escape(text) }],
        StructuredContent = structured,
    };
}
