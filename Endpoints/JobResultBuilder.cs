using System.Text;
using System.Text.Json;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Endpoints;

/// <summary>Shapes job states into tool results.</summary>
internal sealed class JobResultBuilder(ResultBuilder results, JobOutput fullOutput, TimeProvider time)
{
    private const int CodeExcerptChars = 80;

    /// <summary>Output shown by get_job_status and cancel_job unless tail_chars asks otherwise: where the job got to.</summary>
    internal const int TailChars = 2_000;

    /// <summary>What stands before a tail when earlier output is left out.</summary>
    internal const string EarlierLeftOut = "[... earlier output left out; get_job_result with offset reads the full text ...]\n";

    /// <summary>execute_code's answer when the code outlived execution.sync_timeout: it carries on as a job.</summary>
    public CallToolResult Promoted(Job job)
    {
        var record = job.Record;
        var elapsed = Elapsed(record);
        var (soFar, _) = job.Output.View(TailChars);
        var report = new ExecutionReport
        {
            Status = JobState.Running,
            Output = ClientText.Escape(soFar),
            ElapsedMs = Math.Round(elapsed * 1000),
            WorkspaceKept = true,
            JobId = record.Id,
            Message = $"Still running after {elapsed:0} s, so it continues in the background as job {record.Id} in session " +
                $"'{record.Session}' (until it ends, calls to that session are told it is busy unless they pass wait_seconds). " +
                "Check it with get_job_status, collect the " +
                "result with get_job_result, or stop it with cancel_job (the workspace is kept).",
        };
        return results.Execution(report, isError: false);
    }

    public CallToolResult Status(JobRecord record, Job? live, int tailChars = TailChars, string? note = null)
    {
        // A finished job's stored report is already escaped; escaping is idempotent, so the live view and older rows share the path.
        var output = ClientText.Escape(live is not null
            ? TailView(live.Output.Tail(tailChars), tailChars, live.Output.Truncated || live.Output.HeldChars > tailChars)
            : TailView(record.Result?.Output ?? "", tailChars, more: false));
        var progress = live?.LastProgress is { } last ? last with { Message = ClientText.Escape(last.Message) } : null;
        var error = ClientText.EscapeOrNull(record.Error);
        var report = new JobStatusReport(record.Id, record.Session, record.State, record.CreatedAt,
            record.StartedAt, record.FinishedAt, Math.Round(Elapsed(record), 1), progress, output, error);
        var text = new StringBuilder(note is null ? "" : note + "\n");
        text.Append($"Job {record.Id} in session '{record.Session}': {report.State.Name()}, {report.ElapsedSeconds:0.#} s");
        if (report.Progress is { } reported)
            text.Append($", {reported.Fraction:P0} {reported.Message}".TrimEnd());
        text.AppendLine(".");
        if (error is not null)
            text.AppendLine(error);
        if (output.Length > 0)
            text.AppendLine(live is not null ? "Output so far:" : "Output:").Append(output);
        if (!record.IsFinished)
            text.AppendLine().Append("get_job_result returns the full result once it finishes.");
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = text.ToString().TrimEnd() }],
            StructuredContent = JsonSerializer.SerializeToElement(report, AppJson.Default.JobStatusReport),
        };
    }

    public CallToolResult Result(JobRecord record, Job? live, int? tailChars = null, long? offset = null, int maxChars = int.MaxValue,
        string? note = null)
    {
        if (offset is { } from)
            return Window(record, live, from, Math.Min(tailChars ?? maxChars, maxChars), note);
        if (!record.IsFinished)
            return ResultBuilder.Text(note + (note is null ? "" : " ") + $"Job {record.Id} is still {record.State.Name()} ({Elapsed(record):0} s so far); " +
                "its result is not ready. Call get_job_result again later (wait_seconds lets it wait), get_job_status for progress, " +
                "or pass offset to read its output so far.");
        if (record.Result is { } result)
        {
            if (tailChars is { } tail)
                result = result with { Output = TailView(result.Output, tail, more: false), Notice = Join(result.Notice, note) };
            return results.Execution(result with { JobId = record.Id }, record.State is not JobState.Completed, record.Owner, record.Session);
        }
        return ResultBuilder.Error($"Job {record.Id} ended as {record.State.Name()}: {record.Error}"); // escaped there
    }

    /// <summary>get_job_result with offset: a stretch of the job's full output, and where the next one starts.</summary>
    private CallToolResult Window(JobRecord record, Job? live, long offset, int chars, string? note)
    {
        var (window, problem) = fullOutput.Read(record, live, offset, chars);
        if (window is null)
            return ResultBuilder.Error(problem!);
        if (offset > window.Total)
            return ResultBuilder.Error($"offset {offset:N0} is past the end of job {record.Id}'s output, which has {window.Total:N0} characters " +
                (record.IsFinished ? "" : "so far ") + $"(offsets run from 0 to {window.Total:N0}).");
        var end = window.Offset + window.Text.Length;
        var where = $"Characters {window.Offset:N0} to {end:N0} of {window.Total:N0} of job {record.Id}'s full output" +
            (record.IsFinished ? "" : " so far (it is still running)") +
            (end < window.Total ? $"; the next part starts at offset={end}." : "; that is the end.");
        if (record.Result is not { } result || !record.IsFinished)
            return ResultBuilder.Text($"{Join(note, where)}\n{window.Text}");
        return results.Execution(result with
        {
            Output = ClientText.Escape(window.Text),
            OutputTruncated = end < window.Total || window.Offset > 0,
            Notice = Join(result.Notice, Join(note, where)),
            JobId = record.Id,
        }, record.State is not JobState.Completed);
    }

    /// <summary>The last <paramref name="chars"/> characters of output, from the start of a line, saying when earlier output is left out.</summary>
    internal static string TailView(string text, int chars, bool more)
    {
        if (chars == 0)
            return "";
        if (text.Length > chars)
            (text, more) = (TextBudget.Tail(text, chars), true);
        else if (more && text.IndexOf('\n') is var newline and >= 0 && newline + 1 < text.Length)
            text = text[(newline + 1)..]; // it may start inside a line
        return more ? EarlierLeftOut + text : text;
    }

    private static string? Join(string? a, string? b) => a is null ? b : b is null ? a : $"{a} {b}";

    /// <summary>
    /// cancel_job's answer once the job has ended. Stopping it is what the caller asked for, so this is no tool error
    /// whatever the job's own outcome; a job that ended on its own first says so. Its output: the last tail_chars.
    /// </summary>
    public CallToolResult Cancelled(JobRecord record, int tailChars = TailChars, string? note = null)
    {
        if (record.Result is not { } result)
            return ResultBuilder.Error($"Job {record.Id} ended as {record.State.Name()}: {record.Error}");
        var report = record.State is JobState.Cancelled ? result : result with
        {
            Message = $"{result.Message} It ended ({record.State.Name()}) before the cancel took effect.".TrimStart(),
        };
        report = report with { Output = TailView(report.Output, tailChars, more: false), Notice = Join(report.Notice, note) };
        return results.Execution(report with { JobId = record.Id }, isError: false, record.Owner, record.Session);
    }

    public CallToolResult List(IReadOnlyList<JobRecord> jobs, int total, JobState? state, string? note = null)
    {
        var report = new JobListReport([.. jobs.Select(j => new JobSummary(j.Id, j.Session, j.State, j.CreatedAt,
            Math.Round(Elapsed(j), 1), Excerpt(j.Code)))], total);
        var which = state is null ? "jobs" : $"{state.Value.Name()} jobs";
        // One line per job, newest first, as before; what is left out (and any note) follows them.
        var text = new StringBuilder(report.Jobs.Count == 0 ? $"You have no {which}." : string.Join('\n',
            report.Jobs.Select(j => $"{j.JobId}\t{j.Session}\t{j.State.Name()}\t{j.ElapsedSeconds:0.#} s\t{j.Code}")));
        if (report.Jobs.Count > 0 && report.Jobs.Count < total)
            text.Append($"\n({report.Jobs.Count} newest of your {total} {which}; {total - report.Jobs.Count} more: limit shows up to {MaxListLimit}, state filters.)");
        if (note is not null)
            text.Append('\n').Append(note);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = text.ToString() }],
            StructuredContent = JsonSerializer.SerializeToElement(report, AppJson.Default.JobListReport),
        };
    }

    /// <summary>list_jobs' limit: its default and the most it may ask for.</summary>
    internal const int DefaultListLimit = 20, MaxListLimit = 200;

    public static CallToolResult Unknown(string id) =>
        ResultBuilder.Error($"No job '{id}' is known to you: list_jobs shows your jobs (finished ones are kept for a limited time).");

    private double Elapsed(JobRecord record) =>
        record.StartedAt is not { } started ? 0 : ((record.FinishedAt ?? time.GetUtcNow()) - started).TotalSeconds;

    private static string Excerpt(string code)
    {
        var flat = ClientText.Escape(code.ReplaceLineEndings(" ").Trim());
        return flat.Length <= CodeExcerptChars ? flat : flat[..(CodeExcerptChars - 1)] + "…";
    }

}
