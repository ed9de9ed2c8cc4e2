using System.Text.Json.Serialization;
using MatlabMcp.Output;

namespace MatlabMcp.Jobs;

/// <summary>Where a job is in its life. Terminal states never change again.</summary>
internal enum JobState
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
    TimedOut,
    EngineDied,
    Rejected,
    Lost, // the server stopped while it ran: its result is unknown
}

/// <summary>A job as stored: immutable, moved forward with <c>with</c>.</summary>
internal sealed record JobRecord(
    string Id,
    string Owner,
    string Session,
    string Code,
    JobState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    ExecutionReport? Result = null,
    string? Error = null)
{
    public bool IsFinished => State is not (JobState.Queued or JobState.Running);

    public static string StateName(JobState state) => state switch
    {
        JobState.TimedOut => "timed_out",
        JobState.EngineDied => "engine_died",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static JobState FromStatus(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Completed => JobState.Completed,
        ExecutionStatus.Failed => JobState.Failed,
        ExecutionStatus.TimedOut => JobState.TimedOut,
        ExecutionStatus.Cancelled => JobState.Cancelled,
        ExecutionStatus.EngineDied => JobState.EngineDied,
        _ => JobState.Rejected,
    };
}

/// <summary>The last progress the code reported with mcp_progress.</summary>
internal sealed record JobProgress(
    [property: JsonPropertyName("fraction")] double Fraction,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("at")] DateTimeOffset At);
