using MatlabMcp.Pool;
using MatlabMcp.Security;

namespace MatlabMcp.Jobs;

/// <summary>How a run ended. Expected outcomes are values; exceptions are for bugs.</summary>
internal enum ExecutionStatus
{
    Completed,
    Failed,       // the code raised an error
    TimedOut,     // the time limit fired and the engine was interrupted
    Cancelled,    // the caller cancelled and the engine was interrupted
    EngineDied,   // the engine ended during the call
    Rejected,     // refused before running (bad input, engine unavailable)
}

internal sealed record ExecutionOutcome(ExecutionStatus Status, string Output, TimeSpan Elapsed)
{
    public EngineError? Error { get; init; }

    /// <summary>True when <see cref="Output"/> is already cut (by its sink, which knows how much it left out).</summary>
    public bool OutputTruncated { get; init; }

    /// <summary>False when the run cost the session its variables (engine killed or crashed).</summary>
    public bool WorkspaceKept { get; init; } = true;

    /// <summary>Human-readable explanation for anything other than Completed/Failed.</summary>
    public string? Message { get; init; }

    /// <summary>Things the caller should know that are not about this run (e.g. an earlier restart).</summary>
    public string? Notice { get; init; }

    /// <summary>The code policy's verdict when it refused the code: what an audit record keeps.</summary>
    public CodePolicyResult? Policy { get; init; }

    public bool IsError => Status != ExecutionStatus.Completed;

    public static ExecutionOutcome Rejected(string message) =>
        new(ExecutionStatus.Rejected, "", TimeSpan.Zero) { Message = message };

    public static ExecutionOutcome RejectedByPolicy(CodePolicyResult verdict) =>
        Rejected(verdict.Describe()) with { Policy = verdict };
}
