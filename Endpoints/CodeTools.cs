using System.ComponentModel;
using MatlabMcp.Configuration;
using MatlabMcp.Execution;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Security;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>Running code. A thin adapter: the work is in Execution/ and the result shape in Output/.</summary>
[McpServerToolType]
internal sealed class CodeTools(CodeRunner runner, IOptions<ExecutionOptions> options)
{
    internal const string WaitHelp =
        "Seconds to wait if the session is running another job (optional). Without it a busy session says so at once, " +
        "naming the job to wait for or cancel.";

    /// <summary>A caller's wait_seconds as a wait: negative means none, and it is capped at <paramref name="maxSeconds"/>.</summary>
    internal static TimeSpan SessionWait(double? waitSeconds, double maxSeconds) =>
        TimeSpan.FromSeconds(Math.Clamp(waitSeconds ?? 0, 0, maxSeconds));

    internal const string SessionHelp =
        "Session name (optional): a short name such as \"main\" or \"worktree-b\" picks one of your workspaces; " +
        "it is created on first use. Omit it for your default session \"main\".";

    [McpServerTool(Name = "execute_code", Title = "Run MATLAB/Octave code", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false)] // no outputSchema: structuredContent only on short text-only results (ResultBuilder.Execution)
    [Description("Runs MATLAB/Octave code in one of your persistent engine sessions. Variables persist between calls. " +
        "Returns the printed output; on error also the error identifier, message, stack and the output printed before it. " +
        "Code still running after the sync timeout (30 s by default) continues as a background job: the result then carries " +
        "a job_id for get_job_status / get_job_result / cancel_job. Printed output streams as log notifications (at most as " +
        "much as a result keeps); with a progress token, the first progress notification names the job (cancel_job stops it), " +
        "then mcp_progress(fraction, message) reports and heartbeats follow. A session already running a job says so at " +
        "once with its job_id; pass wait_seconds to wait for it instead. " +
        "Code is checked before it runs: shell commands (system, !), code built from text (eval), and Python/Java/.NET " +
        "calls are refused with the line, column and what to use instead. If the server requires approval, a person is asked " +
        "through your client first; declined or unanswered code is not run. Every attempt is recorded in an audit log.")]
    public async Task<CallToolResult> ExecuteCodeAsync(
        RequestContext<CallToolRequestParams> request,
        [Description("MATLAB/Octave statements, e.g. \"x = 42; disp(x)\". End a statement with ';' to hide its value.")] string code,
        [Description(SessionHelp)] string? session = null,
        [Description("Seconds the code may run in total before it is interrupted (optional; server default applies).")] double? timeout_seconds = null,
        [Description(WaitHelp)] double? wait_seconds = null,
        [Description("What to return of the figures the code draws (each is then closed): \"png\" (an image), \"svg\" (the image " +
            "and an SVG file), \"plotly\" (the image and the figure's data as Plotly JSON), or \"none\" (nothing; the figures stay " +
            "open for a later call). Optional; the server's default is usually png.")] string? figure_format = null,
        [Description("Most characters of printed output to return (optional; at least 100, at most the server's ceiling, " +
            "output.max_output_chars, 20,000 by default). Longer output is cut at line boundaries; the full text is kept in " +
            "a session file that the result links.")] int? max_output_chars = null,
        [Description(CodeRunner.ProjectPathHelp)] string? project_path = null,
        CancellationToken cancellationToken = default)
    {
        var identity = CallerIdentity.Of(request.User);
        string? addPath = null;
        if (project_path is not null)
        {
            if (runner.Resolve(identity, session, null, project_path, out var folder, pathRequired: false) is { } refused)
                return ResultBuilder.Error(refused);
            addPath = folder!.AddPath;
        }
        // Waiting happens in the job (queued), so it may be long: bounded like a run, by execution.max_execution_time.
        var run = new ExecutionRequest(identity, code, session, timeout_seconds,
            SessionWait(wait_seconds, options.Value.MaxExecutionTimeSeconds), figure_format, max_output_chars) { AddPath = addPath };
        return (await runner.RunAsync(request, run, cancellationToken)).Result;
    }
}
