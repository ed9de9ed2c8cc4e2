using System.Text.Json.Serialization;

namespace MatlabMcp.Output;

/// <summary>get_job_status's result.</summary>
internal sealed record JobStatusReport(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("session")] string Session,
    [property: JsonPropertyName("state")] JobState State,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt,
    [property: JsonPropertyName("elapsed_seconds")] double ElapsedSeconds,
    [property: JsonPropertyName("progress")] JobProgress? Progress,
    [property: JsonPropertyName("output_so_far")] string OutputSoFar,
    [property: JsonPropertyName("error")] string? Error);

/// <summary>list_jobs' result: only the caller's own jobs, newest first; <c>total</c> counts all of them (in the state asked for).</summary>
internal sealed record JobListReport(
    [property: JsonPropertyName("jobs")] List<JobSummary> Jobs,
    [property: JsonPropertyName("total")] int Total);

internal sealed record JobSummary(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("session")] string Session,
    [property: JsonPropertyName("state")] JobState State,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("elapsed_seconds")] double ElapsedSeconds,
    [property: JsonPropertyName("code")] string Code);

/// <summary>The last progress the code reported with mcp_progress.</summary>
internal sealed record JobProgress(
    [property: JsonPropertyName("fraction")] double Fraction,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("at")] DateTimeOffset At);
