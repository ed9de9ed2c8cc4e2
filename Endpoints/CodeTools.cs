using System.ComponentModel;
using MatlabMcp.Configuration;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>Running code. A thin adapter: the work is in Jobs/ and the result shape in Output/.</summary>
[McpServerToolType]
internal sealed class CodeTools(JobManager jobs, ExecutionAdmission admission, ResultBuilder results, JobResultBuilder jobResults, AppConfig config, TimeProvider time)
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
        Idempotent = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(ExecutionReport))]
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
        CancellationToken cancellationToken = default)
    {
        // Waiting happens in the job (queued), so it may be long: bounded like a run, by execution.max_execution_time.
        var sessionWait = SessionWait(wait_seconds, config.Execution.MaxExecutionTimeSeconds);
        var (job, refusal) = await admission.AdmitAsync(request, code, session, timeout_seconds, sessionWait, cancellationToken);
        if (job is null)
            return results.Execution(refusal!);
        // Most calls finish within milliseconds: only a call still running after a short moment gets a relay
        // (which then sends the output printed so far first), so quick calls pay nothing for streaming.
        var sync = config.Execution.SyncTimeout;
        var quick = sync < QuickWindow ? sync : QuickWindow;
        if (!await WaitAsync(job, quick, cancellationToken))
        {
            await using var relay = new ProgressRelay(request.Server, request.Params?.ProgressToken, job,
                config.Execution.HeartbeatInterval, config.Output.MaxOutputChars, time);
            if (!await WaitAsync(job, sync - quick, cancellationToken))
                return jobResults.Promoted(job);
        }
        var outcome = await job.Completion;
        // The job stored its report before it completed: reuse it rather than shape the output a second time.
        var report = job.Record.Result ?? results.Report(outcome);
        return results.Execution(report with { JobId = job.Id }, outcome.IsError);
    }

    private static readonly TimeSpan QuickWindow = TimeSpan.FromMilliseconds(50);

    /// <summary>True when the job finished within the wait. A cancelled request cancels its job (and waits for it to stop).</summary>
    private async Task<bool> WaitAsync(Job job, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (wait <= TimeSpan.Zero)
            return job.Completion.IsCompleted;
        try
        {
            await job.Completion.WaitAsync(wait, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            jobs.Cancel(job.Record.Owner, job.Id);
            await job.Completion;
            return true;
        }
    }
}
