using System.Text;
using System.Text.Json;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Endpoints;

/// <summary>Shapes job states into tool results.</summary>
internal sealed class JobResultBuilder(ResultBuilder results, TimeProvider time)
{
    private const int CodeExcerptChars = 80;
    private const int StatusOutputChars = 4000;

    /// <summary>execute_code's answer when the code outlived execution.sync_timeout: it carries on as a job.</summary>
    public CallToolResult Promoted(Job job)
    {
        var record = job.Record;
        var elapsed = Elapsed(record);
        var (soFar, _) = job.Output.View(StatusOutputChars);
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

    public CallToolResult Status(JobRecord record, Job? live)
    {
        // A finished job's stored report is already escaped; escaping is idempotent, so the live view and older rows share the path.
        var output = ClientText.Escape(live is not null ? live.Output.View(StatusOutputChars).Text : record.Result?.Output ?? "");
        var progress = live?.LastProgress is { } last ? last with { Message = ClientText.Escape(last.Message) } : null;
        var error = ClientText.EscapeOrNull(record.Error);
        var report = new JobStatusReport(record.Id, record.Session, record.State, record.CreatedAt,
            record.StartedAt, record.FinishedAt, Math.Round(Elapsed(record), 1), progress, output, error);
        var text = new StringBuilder($"Job {record.Id} in session '{record.Session}': {report.State.Name()}, {report.ElapsedSeconds:0.#} s");
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

    public CallToolResult Result(JobRecord record, Job? live)
    {
        if (!record.IsFinished)
            return ResultBuilder.Text($"Job {record.Id} is still {record.State.Name()} ({Elapsed(record):0} s so far); " +
                "its result is not ready. Call get_job_result again later (wait_seconds lets it wait), or get_job_status for progress.");
        if (record.Result is { } result)
            return results.Execution(result with { JobId = record.Id }, record.State is not JobState.Completed, record.Owner, record.Session);
        return ResultBuilder.Error($"Job {record.Id} ended as {record.State.Name()}: {record.Error}"); // escaped there
    }

    /// <summary>
    /// cancel_job's answer once the job has ended. Stopping it is what the caller asked for, so this is no tool error
    /// whatever the job's own outcome; a job that ended on its own first says so.
    /// </summary>
    public CallToolResult Cancelled(JobRecord record)
    {
        if (record.Result is not { } result)
            return ResultBuilder.Error($"Job {record.Id} ended as {record.State.Name()}: {record.Error}");
        var report = record.State is JobState.Cancelled ? result : result with
        {
            Message = $"{result.Message} It ended ({record.State.Name()}) before the cancel took effect.".TrimStart(),
        };
        return results.Execution(report with { JobId = record.Id }, isError: false, record.Owner, record.Session);
    }

    public CallToolResult List(IReadOnlyList<JobRecord> jobs)
    {
        var report = new JobListReport([.. jobs.Select(j => new JobSummary(j.Id, j.Session, j.State, j.CreatedAt,
            Math.Round(Elapsed(j), 1), Excerpt(j.Code)))]);
        var text = report.Jobs.Count == 0 ? "You have no jobs."
            : string.Join('\n', report.Jobs.Select(j => $"{j.JobId}\t{j.Session}\t{j.State.Name()}\t{j.ElapsedSeconds:0.#} s\t{j.Code}"));
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = text }],
            StructuredContent = JsonSerializer.SerializeToElement(report, AppJson.Default.JobListReport),
        };
    }

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
