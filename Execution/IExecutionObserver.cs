using MatlabMcp.Security;

namespace MatlabMcp.Execution;

/// <summary>
/// The caller's side of a run, adapted to its transport by the endpoint (for MCP: elicitation, log and progress
/// notifications). Sends answer false once the caller has stopped listening; the run itself carries on.
/// </summary>
internal interface IExecutionObserver
{
    /// <summary>Asks a person to approve the code (only when approval.mode requires it). Cancelled with the call.</summary>
    Task<ApprovalVerdict> ApproveAsync(ApprovalSubject subject, CancellationToken cancellationToken);

    /// <summary>True when the caller takes progress reports (for MCP: it sent a progress token).</summary>
    bool TakesProgress { get; }

    /// <summary>A piece of printed output, already escaped and bounded.</summary>
    Task<bool> OutputAsync(string text, CancellationToken cancellationToken);

    /// <summary>A progress report; <paramref name="progress"/> only ever increases, <paramref name="total"/> is null for heartbeats without one.</summary>
    Task<bool> ProgressAsync(float progress, float? total, string message, CancellationToken cancellationToken);
}
