using MatlabMcp.Jobs;
using MatlabMcp.Pool;

namespace MatlabMcp.Execution;

/// <summary>Code one caller asks to run, how long it may wait for its session, and what it wants back of its figures.</summary>
/// <param name="SessionWait">How long the job may wait for a session that runs another job (zero: told at once).</param>
/// <param name="FigureFormat">png, svg, plotly or none as the caller spelled it; null takes output.figure_format.</param>
/// <param name="MaxOutputChars">The caller's output budget (at most output.max_output_chars), or null for that ceiling.</param>
/// <remarks><see cref="Code"/> is what the code policy checks and the audit records; with <see cref="Call"/> set it is an
/// honest text of what runs (the file's code, or the call as a person would type it), and the call is what the engine does.</remarks>
internal sealed record ExecutionRequest(string Identity, string Code, string? Session, double? TimeoutSeconds, TimeSpan SessionWait,
    string? FigureFormat = null, int? MaxOutputChars = null)
{
    /// <summary>A function to call with arguments as data instead of evaluating <see cref="Code"/>.</summary>
    public EngineCall? Call { get; init; }

    /// <summary>An engine folder (resolved by <see cref="Security.CodePaths"/>) added to the session's path before the run.</summary>
    public string? AddPath { get; init; }
}

/// <summary>How a request ended for the caller who made it.</summary>
internal abstract record ExecutionResult
{
    /// <summary>Refused before anything ran (input, policy, approval, limits): nothing changed anywhere.</summary>
    public sealed record Refused(ExecutionOutcome Outcome) : ExecutionResult;

    /// <summary>The run ended within execution.sync_timeout (or was stopped); the job's record holds its report.</summary>
    public sealed record Completed(Job Job, ExecutionOutcome Outcome) : ExecutionResult;

    /// <summary>Still running after execution.sync_timeout: it carries on as a background job.</summary>
    public sealed record Promoted(Job Job) : ExecutionResult;
}
