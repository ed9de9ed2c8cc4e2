using System.ComponentModel;
using MatlabMcp.Configuration;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Security;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>Watching, collecting and cancelling your own jobs. Another identity's job id reads as unknown.</summary>
[McpServerToolType]
internal sealed class JobTools(JobManager jobs, JobResultBuilder results, IOptions<OutputOptions> output, TimeProvider time)
{
    private const double MaxWaitSeconds = 60;
    private const string TailHelp = "Characters of output to show, the last ones (optional; 0 for none; at most output.max_output_chars).";
    private const string OffsetHelp = "Read the job's full output (all of it, even past the cut) from this character on, up to " +
        "tail_chars or output.max_output_chars characters (optional; 0 is the start). The answer says where the next part starts.";

    /// <summary>tail_chars within [0, output.max_output_chars], or the refusal; a larger value is lowered, and the note says so.</summary>
    private (int Chars, string? Note, CallToolResult? Refusal) Tail(int? tailChars, int fallback)
    {
        var ceiling = output.Value.MaxOutputChars;
        return tailChars switch
        {
            null => (Math.Min(fallback, ceiling), null, null),
            < 0 => (0, null, ResultBuilder.Error($"tail_chars must be 0 or more (at most {ceiling:N0}); omit it for the default.")),
            var asked when asked > ceiling => (ceiling, $"tail_chars {asked:N0} is above this server's ceiling; {ceiling:N0} applies (output.max_output_chars).", null),
            var asked => (asked.Value, null, null),
        };
    }

    [McpServerTool(Name = "get_job_status", Title = "Job status", ReadOnly = true, Destructive = false, Idempotent = true,
        OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(JobStatusReport))]
    [Description("State, timestamps, elapsed time, last mcp_progress report and the last 2,000 characters of output " +
        "(tail_chars) of one of your jobs.")]
    public CallToolResult GetJobStatus(RequestContext<CallToolRequestParams> request,
        [Description("The job_id returned by execute_code or list_jobs.")] string job_id,
        [Description(TailHelp + " Default 2,000.")] int? tail_chars = null)
    {
        var owner = CallerIdentity.Of(request.User);
        var (tail, note, refusal) = Tail(tail_chars, JobResultBuilder.TailChars);
        if (refusal is not null)
            return refusal;
        return jobs.Find(owner, job_id) is { } record ? results.Status(record, jobs.FindActive(owner, job_id), tail, note) : JobResultBuilder.Unknown(job_id);
    }

    [McpServerTool(Name = "get_job_result", Title = "Job result", ReadOnly = true, Destructive = false, Idempotent = true,
        OpenWorld = false)]
    [Description("The result of one of your jobs once it has finished (output cut to output.max_output_chars as execute_code " +
        "cuts it, error, workspace state); says so clearly while it is still running. wait_seconds (up to 60) waits for it to " +
        "finish first. tail_chars shows only the end of the output; offset reads the full output from a position (also while it runs).")]
    public async Task<CallToolResult> GetJobResultAsync(RequestContext<CallToolRequestParams> request,
        [Description("The job_id returned by execute_code or list_jobs.")] string job_id,
        [Description("Seconds to wait for the job to finish before answering (optional, 0-60).")] double? wait_seconds = null,
        [Description(TailHelp)] int? tail_chars = null,
        [Description(OffsetHelp)] long? offset = null,
        CancellationToken cancellationToken = default)
    {
        var owner = CallerIdentity.Of(request.User);
        var (_, note, refusal) = Tail(tail_chars, output.Value.MaxOutputChars);
        if (refusal is not null)
            return refusal;
        if (offset < 0)
            return ResultBuilder.Error("offset must be 0 or more: it counts characters from the start of the job's output.");
        int? tail = tail_chars is null ? null : Math.Min(tail_chars.Value, output.Value.MaxOutputChars);
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
        return jobs.Find(owner, job_id) is { } record
            ? results.Result(record, jobs.FindActive(owner, job_id), tail, offset, output.Value.MaxOutputChars, note)
            : JobResultBuilder.Unknown(job_id);
    }

    [McpServerTool(Name = "cancel_job", Title = "Cancel a job", ReadOnly = false, Destructive = true, Idempotent = true,
        OpenWorld = false)]
    [Description("Stops one of your jobs: running code is interrupted and the session's workspace is kept (if the engine cannot " +
        "be interrupted it is restarted and the result says the workspace was lost); a job that has not started never runs.")]
    public async Task<CallToolResult> CancelJobAsync(RequestContext<CallToolRequestParams> request,
        [Description("The job_id returned by execute_code or list_jobs.")] string job_id,
        [Description(TailHelp + " Default 2,000.")] int? tail_chars = null,
        CancellationToken cancellationToken = default)
    {
        var owner = CallerIdentity.Of(request.User);
        var (tail, note, refusal) = Tail(tail_chars, JobResultBuilder.TailChars);
        if (refusal is not null)
            return refusal;
        // Answers once the engine has actually stopped (back at its prompt, or killed and replaced), so the answer can
        // say whether the workspace survived.
        if (await jobs.CancelAsync(owner, job_id, cancellationToken) is { } stopped)
            return results.Cancelled(stopped, tail, note);
        return jobs.Find(owner, job_id) is { } done
            ? ResultBuilder.Text($"Job {job_id} already ended ({done.State.Name()}); there is nothing to cancel.")
            : JobResultBuilder.Unknown(job_id);
    }

    [McpServerTool(Name = "list_jobs", Title = "List your jobs", ReadOnly = true, Destructive = false, Idempotent = true,
        OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(JobListReport))]
    [Description("Your most recent jobs (newest first, 20 unless limit says otherwise): id, session, state, elapsed time and the " +
        "start of the code, and how many more there are. state picks jobs in one state.")]
    public CallToolResult ListJobs(RequestContext<CallToolRequestParams> request,
        [Description("How many jobs to list (optional, 1-200, default 20).")] int? limit = null,
        [Description("Only jobs in this state (optional): queued, running, completed, failed, timed_out, cancelled, " +
            "engine_died, rejected or lost.")] string? state = null)
    {
        if (limit < 1)
            return ResultBuilder.Error($"limit must be at least 1 (at most {JobResultBuilder.MaxListLimit}); omit it for {JobResultBuilder.DefaultListLimit}.");
        JobState? only = null;
        if (state is not null)
        {
            if (!JobStates.TryParse(state, out var parsed))
                return ResultBuilder.Error($"Unknown state '{state}': use one of {string.Join(", ", Enum.GetValues<JobState>().Select(s => s.Name()))}, " +
                    "or omit it for jobs in every state.");
            only = parsed;
        }
        var note = limit > JobResultBuilder.MaxListLimit
            ? $"limit {limit:N0} is above the most list_jobs shows; {JobResultBuilder.MaxListLimit} applies." : null;
        var (found, total) = jobs.List(CallerIdentity.Of(request.User), Math.Min(limit ?? JobResultBuilder.DefaultListLimit, JobResultBuilder.MaxListLimit), only);
        return results.List(found, total, only, note);
    }
}
