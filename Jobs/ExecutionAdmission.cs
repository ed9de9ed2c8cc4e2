using MatlabMcp.Pool;
using MatlabMcp.Security;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Jobs;

/// <summary>
/// The way in for execute_code: every attempt passes here and leaves one audit row.
/// <list type="number">
/// <item>Input and code policy (<see cref="JobManager.Validate"/>): a refusal is recorded with its violations.</item>
/// <item>Approval by a person when approval.mode asks for it; no yes means no run.</item>
/// <item>The job starts; the row gets the job id, and its final state when the job finishes.</item>
/// </list>
/// </summary>
internal sealed class ExecutionAdmission(JobManager jobs, ApprovalPolicy approvals, ApprovalGate gate, AuditLog audit)
{
    /// <summary>Longest session name kept in an audit row (an invalid one is recorded as given, cut to this).</summary>
    private const int SessionChars = 64;

    public async Task<(Job? Job, ExecutionOutcome? Refusal)> AdmitAsync(RequestContext<CallToolRequestParams> request, string code,
        string? session, double? timeoutSeconds, TimeSpan sessionWait, CancellationToken cancellationToken)
    {
        var identity = CallerIdentity.Of(request.User);
        var sessionName = session ?? SessionRegistry.DefaultName;
        if (sessionName.Length > SessionChars)
            sessionName = sessionName[..SessionChars];

        // 1. Input and code policy.
        if (jobs.Validate(session, code, timeoutSeconds, out var limit) is { } invalid)
            return Refuse(identity, sessionName, code, invalid);

        // 2. A person, when the mode asks for one. InputRequiredException (stateless MRTR) leaves no row: the retry
        //    that carries the answer comes back through here and is recorded then.
        string? approval = null;
        if (approvals.Reasons(code) is { } reasons)
        {
            ApprovalVerdict verdict;
            try
            {
                verdict = await gate.AskAsync(request.Server, request.Params, new ApprovalSubject(identity, sessionName, code, reasons),
                    cancellationToken);
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
                return (null, ExecutionOutcome.Rejected(verdict.Message));
            }
            approval = $"{verdict.Message}: {string.Join("; ", reasons)}";
        }

        // 3. The job.
        var (job, refusal) = jobs.StartValidated(identity, session, code, limit, sessionWait);
        if (job is null)
            return Refuse(identity, sessionName, code, refusal!);
        audit.Record(identity, sessionName, code, AuditDecisions.Executed, approval, job.Id);
        _ = audit.RecordOutcomeAsync(job);
        return (job, null);
    }

    private (Job?, ExecutionOutcome?) Refuse(string identity, string session, string code, ExecutionOutcome refusal)
    {
        if (refusal.Policy is { IsAllowed: false } verdict)
            audit.Record(identity, session, code, AuditDecisions.RejectedByPolicy, verdict.Summary());
        else
            audit.Record(identity, session, code, AuditDecisions.Rejected, refusal.Message);
        return (null, refusal);
    }
}
