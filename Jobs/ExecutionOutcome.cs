using MatlabMcp.Output;
using MatlabMcp.Output.Figures;
using MatlabMcp.Pool;
using MatlabMcp.Security;

namespace MatlabMcp.Jobs;

/// <summary>How a run ended (<see cref="JobState"/>: one of the terminal states). Expected outcomes are values; exceptions are for bugs.</summary>
internal sealed record ExecutionOutcome(JobState Status, string Output, TimeSpan Elapsed)
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

    /// <summary>The figures the run drew, exported and closed (see <see cref="FigureCollector"/>).</summary>
    public IReadOnlyList<FigureReport>? Figures { get; init; }

    /// <summary>Figures past output.max_figures: closed without being exported.</summary>
    public int FiguresDropped { get; init; }

    /// <summary>Files in the session folder the run created or changed (see <see cref="FolderSnapshot"/>).</summary>
    public IReadOnlyList<ChangedFile>? FilesChanged { get; init; }

    /// <summary>The session file holding the full text when the output was cut, or null.</summary>
    public OutputFileInfo? OutputFile { get; init; }

    /// <summary>A function call's outputs (a JSON array; see <see cref="EngineCall"/>), or null for code.</summary>
    public System.Text.Json.JsonElement? Value { get; init; }

    public bool IsError => Status != JobState.Completed;

    public static ExecutionOutcome Rejected(string message) =>
        new(JobState.Rejected, "", TimeSpan.Zero) { Message = message };

    public static ExecutionOutcome RejectedByPolicy(CodePolicyResult verdict) =>
        Rejected(verdict.Describe()) with { Policy = verdict };
}
