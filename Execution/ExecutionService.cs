using MatlabMcp.Configuration;
using MatlabMcp.Jobs;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Execution;

/// <summary>
/// The one way code runs. Every tool that runs code is a few lines over <see cref="RunAsync"/>; every attempt leaves one
/// audit row. The steps, in order:
/// <list type="number">
/// <item>The request and the code policy (<see cref="JobManager.Validate"/>): a refusal is recorded with its violations.</item>
/// <item>A person's approval when approval.mode asks for it (through the observer); no yes means no run.</item>
/// <item>The job starts; the audit row gets the job id, and the job's final state when it ends.</item>
/// <item>A short quick window: most calls end within it and pay nothing for streaming.</item>
/// <item>Still running: a <see cref="RunRelay"/> streams output and progress to the observer for the rest of
/// execution.sync_timeout.</item>
/// <item>The result, or, still running, promotion to a background job the caller can watch, collect or cancel.</item>
/// </list>
/// A caller who leaves (its token cancelled) cancels its job while the job is still its call's, and waits for it to stop.
/// </summary>
internal sealed class ExecutionService(JobManager jobs, ApprovalPolicy approvals, AuditLog audit, IOptions<ExecutionOptions> execution,
    IOptions<OutputOptions> output, TimeProvider time)
{
    /// <summary>Longest session name kept in an audit row (an invalid one is recorded as given, cut to this).</summary>
    private const int SessionChars = 64;

    private static readonly TimeSpan QuickWindow = TimeSpan.FromMilliseconds(50);

    public async Task<ExecutionResult> RunAsync(ExecutionRequest request, IExecutionObserver observer, CancellationToken cancellationToken)
    {
        var (identity, code) = (request.Identity, request.Code);
        var sessionName = request.Session ?? SessionRegistry.DefaultName;
        if (sessionName.Length > SessionChars)
            sessionName = sessionName[..SessionChars];

        // 1. The request and the code policy.
        if (jobs.Validate(request.Session, code, request.TimeoutSeconds, out var limit, request.MaxOutputChars) is { } invalid)
            return Refuse(identity, sessionName, code, invalid);
        FigureFormat? figures = null;
        if (request.FigureFormat is { } format)
        {
            if (!FigureFormats.TryParse(format, out var parsed))
                return Refuse(identity, sessionName, code, ExecutionOutcome.Rejected(
                    $"figure_format must be {FigureFormats.Expected}; omit it for the server's default ({output.Value.FigureFormat.Name()})."));
            figures = parsed;
        }

        // 2. A person, when the mode asks for one. An InputRequiredException (stateless HTTP) leaves no row: the retry
        //    that carries the answer comes back through here and is recorded then.
        string? approval = null;
        if (approvals.Reasons(code) is { } reasons)
        {
            ApprovalVerdict verdict;
            try
            {
                verdict = await observer.ApproveAsync(new ApprovalSubject(identity, sessionName, code, reasons), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The caller gave up while the person was being asked: still an attempt, and it did not run.
                audit.Record(identity, sessionName, code, AuditDecisions.ApprovalUnanswered, "the call was cancelled while waiting for approval");
                throw;
            }
            if (!verdict.Approved)
            {
                audit.Record(identity, sessionName, code, verdict.AuditDecision!, verdict.Message);
                return new ExecutionResult.Refused(ExecutionOutcome.Rejected(verdict.Message));
            }
            approval = $"{verdict.Message}: {string.Join("; ", reasons)}";
        }

        // 3. The job.
        var (job, refusal) = jobs.StartValidated(identity, request.Session, code, limit, request.SessionWait,
            new RunOptions(figures, request.MaxOutputChars, request.Call, request.AddPath));
        if (job is null)
            return Refuse(identity, sessionName, code, refusal!);
        audit.Record(identity, sessionName, code, AuditDecisions.Executed, approval, job.Id);
        _ = audit.RecordOutcomeAsync(job);

        // 4. The quick window, then 5. the relay for the rest of the sync window.
        var sync = execution.Value.SyncTimeout;
        var quick = sync < QuickWindow ? sync : QuickWindow;
        if (!await WaitAsync(job, quick, cancellationToken))
        {
            await using var relay = new RunRelay(observer, job, execution.Value.HeartbeatInterval, job.Output.KeepChars, time);
            if (!await WaitAsync(job, sync - quick, cancellationToken))
                return new ExecutionResult.Promoted(job); // 6. promoted
        }
        return new ExecutionResult.Completed(job, await job.Completion); // 6. the result
    }

    private ExecutionResult Refuse(string identity, string session, string code, ExecutionOutcome refusal)
    {
        if (refusal.Policy is { IsAllowed: false } verdict)
            audit.Record(identity, session, code, AuditDecisions.RejectedByPolicy, verdict.Summary());
        else
            audit.Record(identity, session, code, AuditDecisions.Rejected, refusal.Message);
        return new ExecutionResult.Refused(refusal);
    }

    /// <summary>True when the job finished within the wait. A caller who leaves cancels its job and waits for it to stop.</summary>
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
            // The same stop as cancel_job: it returns once the engine is back or replaced.
            await jobs.CancelAsync(job.Record.Owner, job.Id, CancellationToken.None);
            return true;
        }
    }
}
