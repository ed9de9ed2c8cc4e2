using System.Text.Json;
using System.Text.Json.Serialization;
using MatlabMcp.Output.Figures;

namespace MatlabMcp.Output;

/// <summary>The machine-readable form of an execute_code result (structuredContent).</summary>
internal sealed record ExecutionReport
{
    /// <summary>completed, failed, timed_out, cancelled, engine_died or rejected; running when it became a job.</summary>
    [JsonPropertyName("status")] public required JobState Status { get; init; }
    [JsonPropertyName("output")] public required string Output { get; init; }
    [JsonPropertyName("output_truncated")] public bool OutputTruncated { get; init; }
    [JsonPropertyName("error")] public EngineError? Error { get; init; }
    [JsonPropertyName("elapsed_ms")] public double ElapsedMs { get; init; }
    [JsonPropertyName("workspace_kept")] public bool WorkspaceKept { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("notice")] public string? Notice { get; init; }

    /// <summary>The job this run was (get_job_status / get_job_result / cancel_job accept it).</summary>
    [JsonPropertyName("job_id")] public string? JobId { get; init; }

    /// <summary>The figures the code drew (exported, then closed), in figure-number order.</summary>
    [JsonPropertyName("figures"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<FigureReport>? Figures { get; init; }

    /// <summary>Figures past output.max_figures, closed without being exported.</summary>
    [JsonPropertyName("figures_not_exported"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int FiguresNotExported { get; init; }

    /// <summary>Files in the session folder the code created or changed (figures and spilled output aside), created first.</summary>
    [JsonPropertyName("files_changed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<ChangedFile>? FilesChanged { get; init; }

    /// <summary>How many more files changed than <see cref="FilesChanged"/> lists.</summary>
    [JsonPropertyName("files_changed_not_listed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int FilesChangedNotListed { get; init; }

    /// <summary>Why the code policy refused the code (status rejected): one entry per problem, with line and column.</summary>
    [JsonPropertyName("violations")] public IReadOnlyList<PolicyViolation>? Violations { get; init; }

    /// <summary>The full text of output that was cut (the marker in the output names it too).</summary>
    [JsonPropertyName("output_file")] public OutputFileInfo? OutputFile { get; init; }

    /// <summary>What a called function returned (run_file of a function, custom tools): a JSON array of its outputs.</summary>
    [JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonElement? Value { get; init; }
}

/// <summary>
/// An error engine code raised, in MATLAB's terms: identifier, message and where (innermost frame first). One record
/// from the bridge's answer to the report: the bridge fills it, the report carries it escaped.
/// </summary>
internal sealed record EngineError(
    [property: JsonPropertyName("identifier")] string Identifier,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("stack")] List<EngineStackFrame>? Stack);

internal sealed record EngineStackFrame(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("column")] int Column);

/// <summary>One problem the code policy found: where it is, what it is, which policy fired, and what to write instead.</summary>
internal sealed record PolicyViolation(
    [property: JsonPropertyName("policy")] string Policy,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("column")] int Column,
    [property: JsonPropertyName("message")] string Message);

/// <summary>get_workspace's result.</summary>
internal sealed record WorkspaceReport(
    [property: JsonPropertyName("variables")] List<VariableInfo> Variables,
    [property: JsonPropertyName("truncated")] bool Truncated,
    [property: JsonPropertyName("notice")] string? Notice);

/// <summary>One workspace variable, described but never its data (as the bridge lists it).</summary>
internal sealed record VariableInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("class")] string Class,
    [property: JsonPropertyName("size")] List<long> Size,
    [property: JsonPropertyName("bytes")] long Bytes);

/// <summary>list_sessions' result: only the caller's own sessions.</summary>
internal sealed record SessionListReport([property: JsonPropertyName("sessions")] List<SessionSummary> Sessions);

internal sealed record SessionSummary(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("created")] DateTimeOffset Created,
    [property: JsonPropertyName("idle_seconds")] double IdleSeconds,
    [property: JsonPropertyName("expires_in_seconds")] double ExpiresInSeconds);

/// <summary>A file in the session folder that a run created or changed (path relative to the folder; a session:// resource).</summary>
internal sealed record ChangedFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("created")] bool Created);
