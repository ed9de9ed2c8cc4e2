using MatlabMcp.Configuration;
using MatlabMcp.Execution;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>A tool's path arguments, resolved for its caller: the file (if any), the folder to add to the path, and where the session is.</summary>
internal sealed record CodeFile(CodePath? Path, string? AddPath, SessionFolders Folders);

/// <summary>
/// What every tool that runs code shares with execute_code: its path arguments resolved by the one rule
/// (<see cref="CodePaths"/>), the run through <see cref="ExecutionService"/> (policy, approval, job, audit, progress,
/// figures), and the result shaped by <see cref="ResultBuilder"/>/<see cref="JobResultBuilder"/>. A tool over it is a few lines.
/// </summary>
internal sealed class CodeRunner(ExecutionService execution, ApprovalGate gate, ResultBuilder results, JobResultBuilder jobResults,
    CodePaths paths, SessionRegistry sessions, IOptions<ExecutionOptions> options)
{
    public const string ProjectPathHelp =
        "A folder to add to the session's MATLAB/Octave path first (optional; it stays on the path for later calls): relative " +
        "to your session folder, or inside a project folder the server names (execution.project_folders).";

    /// <summary>
    /// Resolves a tool's <paramref name="path"/> (a file; null when the tool takes none) and <paramref name="projectPath"/>
    /// (a folder) for the caller's session; the refusal for the agent, or null.
    /// </summary>
    public string? Resolve(string identity, string? session, string? path, string? projectPath, out CodeFile? file, bool pathRequired = true)
    {
        file = null;
        if (SessionRegistry.ValidateName(session) is { } badName)
            return badName;
        var folders = sessions.FoldersOf(identity, session);
        CodePath? resolved = null;
        if ((path is not null || pathRequired) && paths.Resolve(path, folders, out resolved) is { } refused)
            return refused;
        CodePath? folder = null;
        if (projectPath is not null && paths.Resolve(projectPath, folders, out folder, folder: true) is { } refusedFolder)
            return $"project_path: {refusedFolder}";
        file = new CodeFile(resolved, folder?.EnginePath, folders);
        return null;
    }

    /// <summary>A resolved file's text, bounded by execution.max_code_chars.</summary>
    public Task<string> ReadAsync(CodeFile file, CancellationToken cancellationToken) =>
        CodePaths.ReadTextAsync(file.Path ?? throw new InvalidOperationException("no file was resolved"), file.Folders,
            options.Value.MaxCodeChars, cancellationToken);

    /// <summary>A caller's wait_seconds, bounded like a run.</summary>
    public TimeSpan SessionWait(double? waitSeconds) => CodeTools.SessionWait(waitSeconds, options.Value.MaxExecutionTimeSeconds);

    /// <summary>Runs the request as execute_code does; the tool result and how the run ended (to add structured content from).</summary>
    public async Task<(CallToolResult Result, ExecutionResult Run)> RunAsync(RequestContext<CallToolRequestParams> request,
        ExecutionRequest run, CancellationToken cancellationToken)
    {
        var ended = await execution.RunAsync(run, new McpExecutionObserver(request, gate), cancellationToken);
        return (Shape(ended), ended);
    }

    /// <summary>The tool result of a run: refused, finished (its stored report, not shaped twice) or promoted to a job.</summary>
    public CallToolResult Shape(ExecutionResult ended) => ended switch
    {
        ExecutionResult.Refused refused => results.Execution(refused.Outcome),
        ExecutionResult.Promoted promoted => jobResults.Promoted(promoted.Job),
        ExecutionResult.Completed done => results.Execution(
            (done.Job.Record.Result ?? results.Report(done.Outcome)) with { JobId = done.Job.Id }, done.Outcome.IsError,
            done.Job.Record.Owner, done.Job.Record.Session),
        var other => throw new InvalidOperationException($"unknown execution result {other}"),
    };
}
