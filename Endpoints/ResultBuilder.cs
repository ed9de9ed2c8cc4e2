using System.Text;
using System.Text.Json;
using MatlabMcp.Configuration;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Endpoints;

/// <summary>Shapes reports into MCP tool results: readable text for the agent, the same facts as structured content.</summary>
internal sealed class ResultBuilder(ReportBuilder reports, EngineFactory folders, IOptions<Configuration.SessionOptions> sessionOptions,
    IOptions<OutputOptions> outputOptions)
{
    public CallToolResult Execution(ExecutionOutcome outcome, string? jobId = null) => Execution(Report(outcome, jobId), outcome.IsError);

    /// <inheritdoc cref="ReportBuilder.Report"/>
    public ExecutionReport Report(ExecutionOutcome outcome, string? jobId = null) => reports.Report(outcome, jobId);

    /// <summary>
    /// A run's result: the text, the link to the full output when it was cut, its figures (read from the session of
    /// <paramref name="owner"/> named <paramref name="session"/>) and links to the files it wrote. Each result says a thing
    /// once: the text is complete (every client shows it); structuredContent repeats the facts for programs, only on a
    /// short result without images or embedded data: Claude Code shows the model only structuredContent when a result has
    /// it (anthropics/claude-code#54737), so a long output or an image would never reach the model beside it. execute_code
    /// therefore declares no outputSchema (which would make structuredContent mandatory).
    /// </summary>
    internal const int StructuredOutputChars = 2_000;

    public CallToolResult Execution(ExecutionReport report, bool isError, string? owner = null, string? session = null)
    {
        // The folder's name hashes the identity: only worth computing when there are figures to read from it.
        var (figures, problems) = owner is null || session is null || report.Figures is not { Count: > 0 }
            ? ([], [])
            : FigureContent.For(report.Figures, session, folders.SessionFolder(owner, session), outputOptions.Value.MaxOutputChars);
        var text = Describe(report);
        if (problems.Count > 0)
            text += "\n" + string.Join('\n', problems);
        var result = new CallToolResult { Content = [new TextContentBlock { Text = text }], IsError = isError };
        if (report.OutputFile is { } file)
            result.Content.Add(new ResourceLinkBlock
            {
                Uri = file.Uri, Name = file.Path, MimeType = "text/plain", Size = file.Bytes,
                Description = file.Complete ? "The full printed output of this call" : "The start of this call's printed output (output.max_spill_mb)",
            });
        foreach (var figure in figures)
            result.Content.Add(figure);
        if (session is not null)
            foreach (var written in report.FilesChanged ?? [])
                result.Content.Add(new ResourceLinkBlock { Uri = SessionResources.Uri(session, written.Path), Name = written.Path, Size = written.Bytes });
        // Links are fine beside it (structuredContent names the same files); an image or embedded data is not.
        if (!CarriesMedia(result)
            && report.Output.Length + (report.Error?.Message.Length ?? 0) + (report.Value?.GetRawText().Length ?? 0) <= StructuredOutputChars)
            result.StructuredContent = JsonSerializer.SerializeToElement(report, AppJson.Default.ExecutionReport);
        return result;
    }

    /// <summary>An image or embedded data the model would not see beside structuredContent in Claude Code (see above).</summary>
    public static bool CarriesMedia(CallToolResult result) => result.Content.Any(b => b is ImageContentBlock or EmbeddedResourceBlock);

    public CallToolResult Workspace(WorkspaceReport report)
    {
        report = report with { Notice = ClientText.EscapeOrNull(report.Notice) }; // it can quote why an engine died
        var text = new StringBuilder();
        if (report.Notice is not null)
            text.AppendLine(report.Notice);
        text.AppendLine(report.Variables.Count == 0 ? "The workspace is empty." : "name\tclass\tsize\tbytes");
        foreach (var v in report.Variables)
            text.AppendLine($"{v.Name}\t{v.Class}\t{string.Join('x', v.Size)}\t{v.Bytes}");
        if (report.Truncated)
            text.AppendLine($"(only the first {report.Variables.Count} variables are listed: output.max_workspace_variables)");
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = text.ToString().TrimEnd() }],
            StructuredContent = JsonSerializer.SerializeToElement(report, AppJson.Default.WorkspaceReport),
        };
    }

    public CallToolResult Sessions(IReadOnlyList<EngineSession> sessions)
    {
        var idleLimit = sessionOptions.Value.IdleTimeout;
        var report = new SessionListReport([.. sessions.Select(s => new SessionSummary(
            s.Name, s.IsBusy ? "busy" : "idle", s.Created, Math.Round(s.IdleFor.TotalSeconds, 1),
            Math.Round(Math.Max(0, (idleLimit - s.IdleFor).TotalSeconds), 1)))]);
        var text = report.Sessions.Count == 0
            ? "You have no sessions yet; execute_code creates \"main\" (or the one you name) on first use."
            : string.Join('\n', report.Sessions.Select(s =>
                $"{s.Name}\t{s.State}\tidle {s.IdleSeconds:0} s\texpires in {s.ExpiresInSeconds:0} s without activity"));
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = text }],
            StructuredContent = JsonSerializer.SerializeToElement(report, AppJson.Default.SessionListReport),
        };
    }

    /// <summary>A plain answer; escaped like everything sent, since messages may quote what code or engines said.</summary>
    public static CallToolResult Text(string message) => new() { Content = [new TextContentBlock { Text = ClientText.Escape(message) }] };

    public static CallToolResult Error(string message) =>
        new() { Content = [new TextContentBlock { Text = ClientText.Escape(message) }], IsError = true };

    /// <summary>One line naming the files the code wrote: what an agent would otherwise list the folder for.</summary>
    private static void DescribeFiles(ExecutionReport report, StringBuilder text)
    {
        if (report.FilesChanged is not { Count: > 0 } files)
            return;
        if (text.Length > 0 && text[^1] != '\n')
            text.AppendLine();
        var created = files.Where(f => f.Created).Select(f => $"{f.Path} ({f.Bytes:N0} bytes)").ToList();
        var changed = files.Where(f => !f.Created).Select(f => $"{f.Path} ({f.Bytes:N0} bytes)").ToList();
        var parts = new List<string>();
        if (created.Count > 0)
            parts.Add("created " + string.Join(", ", created));
        if (changed.Count > 0)
            parts.Add("changed " + string.Join(", ", changed));
        text.Append("Files ").Append(string.Join("; ", parts));
        text.AppendLine(report.FilesChangedNotListed > 0 ? $"; and {report.FilesChangedNotListed} more (list_files)." : ".");
    }

    /// <summary>A line per figure: the agent learns the file's name (to read or link it) and what did not work.</summary>
    private static void DescribeFigures(ExecutionReport report, StringBuilder text)
    {
        if (report.Figures is not { Count: > 0 } && report.FiguresNotExported == 0)
            return;
        if (text.Length > 0 && text[^1] != '\n')
            text.AppendLine();
        var n = 0;
        foreach (var figure in report.Figures ?? [])
        {
            n++;
            text.AppendLine(figure.File is { } file
                ? $"Figure {n}: {file} ({figure.Width}x{figure.Height} px)" + (figure.SvgFile is { } svg ? $", {svg}" : "") +
                  (figure.PlotlyFile is { } plotly ? $", {plotly}" : "") + (figure.Error is { } partly ? $" ({partly})" : "")
                : $"Figure {n} was not exported: {figure.Error}");
        }
        if (report.FiguresNotExported > 0)
            text.AppendLine($"{report.FiguresNotExported} more figures were closed without being exported (output.max_figures); " +
                "draw fewer per call, or combine them with subplot.");
    }

    private const int ListedViolations = 30;

    private string Describe(ExecutionReport report)
    {
        var text = new StringBuilder();
        if (report.Notice is not null)
            text.AppendLine($"Note: {report.Notice}");
        text.Append(report.Output); // a cut output carries its marker where the cut is
        if (report.Value is { ValueKind: JsonValueKind.Array } value && value.GetArrayLength() > 0)
        {
            if (text.Length > 0 && text[^1] != '\n')
                text.AppendLine();
            // The function's outputs, as JSON; a huge one is cut like output (structuredContent has it whole when short).
            text.Append("Returned: ").AppendLine(TextBudget.Cut(value.GetRawText(), outputOptions.Value.MaxOutputChars).Text);
        }
        if (report.Error is { } error)
        {
            if (text.Length > 0 && text[^1] != '\n')
                text.AppendLine();
            var id = error.Identifier.Length > 0 ? $" ({error.Identifier})" : "";
            text.Append("Error").Append(id).Append(": ").AppendLine(error.Message.TrimEnd());
            foreach (var frame in error.Stack ?? [])
                text.AppendLine($"  in {frame.Name} at line {frame.Line}" + (frame.Column > 0 ? $", column {frame.Column}" : ""));
        }
        DescribeFigures(report, text);
        DescribeFiles(report, text);
        if (report.Message is not null)
        {
            if (text.Length > 0 && text[^1] != '\n')
                text.AppendLine();
            text.AppendLine(report.Message);
        }
        foreach (var v in (report.Violations ?? []).Take(ListedViolations))
            text.AppendLine($"- line {v.Line}, column {v.Column}: {v.Message} [policy: {v.Policy}]");
        if (report.Violations?.Count > ListedViolations)
            text.AppendLine($"- ... and {report.Violations.Count - ListedViolations} more.");
        if (text.Length == 0)
            text.Append("(no output)");
        return text.ToString().TrimEnd('\n');
    }
}
