using MatlabMcp.Output;

namespace MatlabMcp.Jobs;

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
    public bool IsFinished => State.IsFinished();
}
