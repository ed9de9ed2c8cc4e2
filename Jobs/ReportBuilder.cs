using MatlabMcp.Configuration;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Jobs;

/// <summary>What a run's result says, shaped once into its wire form: the job stores it, every tool that shows it reads it back.</summary>
internal sealed class ReportBuilder(IOptions<OutputOptions> options)
{
    /// <summary>
    /// The facts of an outcome, with the output cut to output.max_output_chars and every text made safe to show
    /// (<see cref="ClientText"/>): this is what the client sees, now and from the job store later.
    /// </summary>
    public ExecutionReport Report(ExecutionOutcome outcome, string? jobId = null)
    {
        // Output from an engine was cut by its sink, which counted what it dropped: cutting it again would miscount.
        var (output, truncated) = outcome.OutputTruncated ? (outcome.Output, true) : TextBudget.Cut(outcome.Output, options.Value.MaxOutputChars);
        return new ExecutionReport
        {
            Status = outcome.Status,
            Output = ClientText.Escape(output),
            OutputTruncated = truncated,
            Error = Escape(outcome.Error, options.Value.MaxOutputChars),
            ElapsedMs = Math.Round(outcome.Elapsed.TotalMilliseconds, 3),
            WorkspaceKept = outcome.WorkspaceKept,
            // A policy refusal's message would repeat every violation: the violations carry them (and the text lists them once).
            Message = ClientText.EscapeOrNull(outcome.Policy is { IsAllowed: false } ? Headline(outcome.Message) : outcome.Message),
            Notice = ClientText.EscapeOrNull(outcome.Notice),
            JobId = jobId,
            Figures = outcome.Figures,
            FiguresNotExported = outcome.FiguresDropped,
            FilesChanged = outcome.FilesChanged is { } files
                ? [.. files.Take(FolderSnapshot.MaxListed).Select(f => f with { Path = ClientText.Escape(f.Path) })] : null,
            FilesChangedNotListed = Math.Max(0, (outcome.FilesChanged?.Count ?? 0) - FolderSnapshot.MaxListed),
            Violations = outcome.Policy is { IsAllowed: false } verdict
                ? [.. verdict.Violations.Select(v => v with { Subject = ClientText.Escape(v.Subject), Message = ClientText.Escape(v.Message) })]
                : null,
            OutputFile = outcome.OutputFile,
            Value = outcome.Value,
        };
    }

    /// <summary>The first line of a policy refusal (how many problems, nothing ran): the list below it is the violations'.</summary>
    private static string? Headline(string? message) => message?.Split('\n', 2)[0].TrimEnd();

    /// <summary>
    /// An engine error with its texts made safe to show, the message cut like output: messages carry whatever the code
    /// put in them (error(repmat('x', 1, 1e6)) is one message).
    /// </summary>
    internal static EngineError? Escape(EngineError? error, int maxChars) => error is null ? null : error with
    {
        Identifier = ClientText.Escape(error.Identifier),
        Message = ClientText.Escape(TextBudget.Cut(error.Message, maxChars).Text),
        Stack = error.Stack?.Select(frame => frame with { Name = ClientText.Escape(frame.Name) }).ToList(),
    };
}
