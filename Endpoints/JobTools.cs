using System.ComponentModel;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Security;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>Watching, collecting and cancelling your own jobs. Another identity's job id reads as unknown.</summary>
[McpServerToolType]
internal sealed class JobTools(JobManager jobs, JobResultBuilder results, TimeProvider time)
{
    private const double MaxWaitSeconds = 60;

    [McpServerTool(Name = "get_job_status", Title = "Job status", ReadOnly = true, Destructive = false, Idempotent = true,
        OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(JobStatusReport))]
    [Description("State, timestamps, elapsed time, last mcp_progress report and the output so far of one of your jobs.")]
    public CallToolResult GetJobStatus(RequestContext<CallToolRequestParams> request,
        [Description("The job_id returned by execute_code or list_jobs.")] string job_id)
    {
        var owner = CallerIdentity.Of(request.User);
        return jobs.Find(owner, job_id) is { } record ? results.Status(record, jobs.FindActive(owner, job_id)) : JobResultBuilder.Unknown(job_id);
    }

    [McpServerTool(Name = "get_job_result", Title = "Job result", ReadOnly = true, Destructive = false, Idempotent = true,
        OpenWorld = false)]
    [Description("The full result of one of your jobs once it has finished (output, error, workspace state); " +
        "says so clearly while it is still running. wait_seconds (up to 60) waits for it to finish first.")]
    public async Task<CallToolResult> GetJobResultAsync(RequestContext<CallToolRequestParams> request,
        [Description("The job_id returned by execute_code or list_jobs.")] string job_id,
        [Description("Seconds to wait for the job to finish before answering (optional, 0-60).")] double? wait_seconds = null,
        CancellationToken cancellationToken = default)
    {
        var owner = CallerIdentity.Of(request.User);
        if (jobs.FindActive(owner, job_id) is { } live && wait_seconds is > 0)
        {
            try
            {
                await live.Completion.WaitAsync(TimeSpan.FromSeconds(Math.Min(wait_seconds.Value, MaxWaitSeconds)), time, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }
        return jobs.Find(owner, job_id) is { } record ? results.Result(record, jobs.FindActive(owner, job_id)) : JobResultBuilder.Unknown(job_id);
    }

    [McpServerTool(Name = "cancel_job", Title = "Cancel a job", ReadOnly = false, Destructive = true, Idempotent = true,
        OpenWorld = false)]
    [Description("Stops one of your jobs: running code is interrupted and the session's workspace is kept (if the engine cannot " +
        "be interrupted it is restarted and the result says the workspace was lost); a job that has not started never runs.")]
    public async Task<CallToolResult> CancelJobAsync(RequestContext<CallToolRequestParams> request,
        [Description("The job_id returned by execute_code or list_jobs.")] string job_id,
        CancellationToken cancellationToken = default)
    {
        var owner = CallerIdentity.Of(request.User);
        // Answers once the engine has actually stopped (back at its prompt, or killed and replaced), so the answer can
        // say whether the workspace survived.
        if (await jobs.CancelAsync(owner, job_id, cancellationToken) is { } stopped)
            return results.Cancelled(stopped);
        return jobs.Find(owner, job_id) is { } done
            ? ResultBuilder.Text($"Job {job_id} already ended ({done.State.Name()}); there is nothing to cancel.")
            : JobResultBuilder.Unknown(job_id);
    }

    [McpServerTool(Name = "list_jobs", Title = "List your jobs", ReadOnly = true, Destructive = false, Idempotent = true,
        OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(JobListReport))]
    [Description("Your most recent jobs (newest first): id, session, state, elapsed time and the start of the code.")]
    public CallToolResult ListJobs(RequestContext<CallToolRequestParams> request) =>
        results.List(jobs.List(CallerIdentity.Of(request.User)));
}
