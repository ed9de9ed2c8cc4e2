using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MatlabMcp.Execution;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Output.Discovery;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>
/// find_functions: lookfor in the caller's session. It reads the help text of every function on the path that Octave's
/// doc cache does not hold (a large project folder makes that slow), so it runs as a job through <see cref="CodeRunner"/>:
/// a time limit that interrupts it with the workspace kept, cancel_job, audit, and the session's own path.
/// </summary>
internal sealed partial class HelpTools
{
    /// <summary>Seconds a search may take before it is interrupted.</summary>
    internal const double FindTimeoutSeconds = 20;

    /// <summary>Matches returned by default and at most; the total is always given (50 matches cost ~11 KB).</summary>
    internal const int DefaultFound = 20, MaxFound = 50;

    [McpServerTool(Name = "find_functions", Title = "Search functions by keyword", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false)]
    [Description("Searches the one-line summaries of the functions on your session's path (lookfor), your own files included: " +
        "names with their summaries. Stopped after 20 s.")]
    public async Task<CallToolResult> FindFunctionsAsync(
        RequestContext<CallToolRequestParams> request,
        [Description("A word or two to look for, e.g. \"cosine\" or \"fourier transform\".")] string keyword,
        [Description(SessionHelp)] string? session = null,
        [Description("Matches to return (optional; default 20, at most 50).")] int? max_results = null,
        [Description(ProjectPathHelp)] string? project_path = null,
        CancellationToken cancellationToken = default)
    {
        if (DiscoveryNames.KeywordProblem(keyword) is { } problem)
            return ResultBuilder.Error(problem);
        var identity = CallerIdentity.Of(request.User);
        if (runner.Resolve(identity, session, null, project_path, out var folders, pathRequired: false) is { } refused)
            return ResultBuilder.Error(refused);
        if (max_results is < 1)
            return ResultBuilder.Error("max_results must be at least 1.");
        var max = Math.Min(max_results ?? DefaultFound, MaxFound);
        var query = JsonSerializer.SerializeToElement(new FindQuery("find", keyword, max), DiscoveryJson.Default.FindQuery);
        // The keyword is only letters, digits, spaces and - _ . (checked above), so this text is exactly what runs.
        var run = new ExecutionRequest(identity, $"lookfor('{keyword}')", session, FindTimeoutSeconds, TimeSpan.Zero, FigureFormat: "none")
        {
            Call = new EngineCall("mcp_bridge_help", [new EngineArgument(query, "struct")], Outputs: 1),
            AddPath = folders!.AddPath,
        };
        var (result, ended) = await runner.RunAsync(request, run, cancellationToken);
        if (ended is not ExecutionResult.Completed { Outcome: var outcome })
            return result;
        if (outcome.Status == JobState.TimedOut)
            return ResultBuilder.Error($"The search for \"{keyword}\" was stopped after {FindTimeoutSeconds:0} s (it reads every help " +
                "text on the session's path); the workspace is kept. Try list_functions of a toolbox, or get_help of a likely name.");
        if (outcome.Status == JobState.Failed && outcome.Error is { } error)
            return ResultBuilder.Error(Refusal(error));
        if (outcome.Value is not { ValueKind: JsonValueKind.Array } value || value.GetArrayLength() == 0
            || value[0].Deserialize(DiscoveryJson.Default.FoundFunctionsReport) is not { } found)
            return result;
        var report = found with
        {
            Functions = [.. found.Functions.Select(f => new FoundFunction(ClientText.Escape(f.Name), ClientText.Escape(f.Summary)))],
        };
        var text = new StringBuilder();
        if (outcome.Notice is not null)
            text.AppendLine(ClientText.Escape(outcome.Notice));
        if (report.Functions.Count == 0)
            text.Append(CultureInfo.InvariantCulture, $"No function summary mentions \"{keyword}\". Try another word, or list_functions of a toolbox.");
        foreach (var f in report.Functions)
            text.Append(f.Name).Append(" - ").AppendLine(f.Summary);
        if (report.Total > report.Functions.Count)
            text.Append(CultureInfo.InvariantCulture, $"… {report.Total - report.Functions.Count:0} more matches: use a more specific keyword.");
        return Structured(text.ToString().TrimEnd(), JsonSerializer.SerializeToElement(report, DiscoveryJson.Default.FoundFunctionsReport));
    }
}
