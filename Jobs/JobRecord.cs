using System.Text.Json.Serialization;
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

/// <summary>The last progress the code reported with mcp_progress.</summary>
internal sealed record JobProgress(
    [property: JsonPropertyName("fraction")] double Fraction,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("at")] DateTimeOffset At);
