using System.Collections.Concurrent;
using System.Security.Cryptography;
using MatlabMcp.Configuration;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Jobs;

/// <summary>
/// Every execution is a job: it runs in the background in its session's engine, is recorded in the
/// <see cref="JobStore"/>, and can be watched, awaited or cancelled by its owner only.
/// </summary>
internal sealed partial class JobManager(SessionRegistry sessions, CodeExecutor executor, JobStore store, ReportBuilder results,
    IOptions<JobOptions> jobOptions, IOptions<OutputOptions> output, TimeProvider time, ILogger<JobManager> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Job> _active = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;

    /// <summary>
    /// Starts a job, or says why not (bad input, shutting down, too many jobs, its session running another job).
    /// <paramref name="sessionWait"/>: how long the job may wait for a session that runs another job (zero: refused at once).
    /// </summary>
    public (Job? Job, ExecutionOutcome? Refusal) Start(string owner, string? session, string code, double? timeoutSeconds,
        TimeSpan sessionWait = default, RunOptions? options = null) =>
        Validate(session, code, timeoutSeconds, out var limit, options?.MaxOutputChars) is { } refusal ? (null, refusal)
            : StartValidated(owner, session, code, limit, sessionWait, options);

    /// <summary>
    /// Starts a job whose request already passed <see cref="Validate"/> (which gave <paramref name="limit"/>): the
    /// code policy lexes the whole code, so it must not run twice per call.
    /// </summary>
    public (Job? Job, ExecutionOutcome? Refusal) StartValidated(string owner, string? session, string code, TimeSpan limit,
        TimeSpan sessionWait = default, RunOptions? options = null)
    {
        if (_stopping) // a person may have taken minutes to approve: shutdown can have begun since Validate
            return (null, ShuttingDown());
        // No job for a call that would only be told "busy": the common refusal comes first (the acquire still decides races).
        if (sessionWait <= TimeSpan.Zero && sessions.BusyWithJob(owner, session) is { } busy)
            return (null, ExecutionOutcome.Rejected(busy));
        var mine = _active.Count(entry => entry.Value.Record.Owner == owner); // enumerating takes no locks; .Values copies
        if (mine >= jobOptions.Value.MaxActivePerIdentity)
            return (null, ExecutionOutcome.Rejected($"You have {mine} jobs queued or running (jobs.max_active_per_identity). " +
                "Wait for one to finish (list_jobs, get_job_status) or cancel one (cancel_job)."));

        var record = new JobRecord(NewId(), owner, session ?? SessionRegistry.DefaultName, code, JobState.Queued, time.GetUtcNow());
        var (budget, budgetNote) = OutputBudget(options?.MaxOutputChars);
        var job = new Job(record, budget, time, options);
        _active[job.Id] = job;
        store.Save(record);
        _ = RunAsync(job, limit, sessionWait, budgetNote);
        return (job, null);
    }

    /// <summary>Everything <see cref="Start"/> checks about the request itself (not capacity): the refusal, or null.
    /// Run first when a person must approve the code, so nobody is asked about code that would be refused anyway.</summary>
    public ExecutionOutcome? Validate(string? session, string code, double? timeoutSeconds, out TimeSpan limit, int? maxOutputChars = null)
    {
        limit = default;
        if (_stopping)
            return ShuttingDown();
        if (executor.Validate(code, timeoutSeconds, out limit) is { } refusal)
            return refusal;
        if (maxOutputChars < MinOutputChars)
            return ExecutionOutcome.Rejected($"max_output_chars must be at least {MinOutputChars} (and at most " +
                $"{output.Value.MaxOutputChars:N0}, output.max_output_chars); omit it for that ceiling.");
        return SessionRegistry.ValidateName(session) is { } badName ? ExecutionOutcome.Rejected(badName) : null;
    }

    /// <summary>How the bridge exports this run's figures; null (format none) leaves them open for a later call.</summary>
    private FigureExport? FigureExportFor(Job job, string folder)
    {
        var o = output.Value;
        var format = job.Options.Figures ?? o.FigureFormat;
        return format == FigureFormat.None ? null
            : new FigureExport(new FigureSettings(format.Name(), $"fig-{job.Id["job-".Length..]}-", o.FigureDpi, o.FigureMaxWidth,
                o.MaxFigures, o.PlotlyMaxPoints), folder);
    }

    /// <summary>The smallest max_output_chars a call may ask for (the config's own minimum).</summary>
    internal const int MinOutputChars = 100;

    /// <summary>A call's max_output_chars within the config's ceiling, and what to tell the caller when it was lowered.</summary>
    private (int Budget, string? Note) OutputBudget(int? requested)
    {
        var ceiling = output.Value.MaxOutputChars;
        if (requested is not { } asked || asked <= ceiling)
            return (requested is >= MinOutputChars ? requested.Value : ceiling, null);
        return (ceiling, $"max_output_chars {asked:N0} is above this server's ceiling; {ceiling:N0} applies (output.max_output_chars).");
    }

    private static ExecutionOutcome NeverStarted() =>
        new(JobState.Cancelled, "", TimeSpan.Zero) { Message = "Cancelled before it started: the code never ran." };

    private static ExecutionOutcome ShuttingDown() =>
        ExecutionOutcome.Rejected("The server is shutting down and accepts no new code. Reconnect in a moment and try again.");

    /// <summary>The caller's job while it runs; finished jobs come from <see cref="Find"/>.</summary>
    public Job? FindActive(string owner, string id) =>
        _active.TryGetValue(id, out var job) && job.Record.Owner == owner ? job : null;

    /// <summary>The caller's job, running or finished; another identity's job reads as unknown.</summary>
    public JobRecord? Find(string owner, string id) => FindActive(owner, id)?.Record ?? store.Find(owner, id);

    /// <summary>
    /// The owner's newest jobs (at most <paramref name="limit"/>, in <paramref name="state"/> when given), and how many
    /// there are in all. A job's live state wins over its stored one (a running job is stored as queued).
    /// </summary>
    public (IReadOnlyList<JobRecord> Jobs, int Total) List(string owner, int limit = 50, JobState? state = null)
    {
        var live = _active.Values.Where(j => j.Record.Owner == owner).Select(j => j.Record).ToDictionary(r => r.Id);
        var stored = store.List(owner, limit, state is JobState.Running ? JobState.Queued : state)
            .Concat(state is JobState.Running or JobState.Queued ? store.List(owner, limit, state) : [])
            .Select(r => live.GetValueOrDefault(r.Id, r))
            .Concat(live.Values) // not stored yet (writes are deferred)
            .DistinctBy(r => r.Id)
            .Where(r => state is null || r.State == state)
            .OrderByDescending(r => r.CreatedAt)
            .ToList();
        var total = state is JobState.Running or JobState.Queued ? stored.Count : Math.Max(store.Count(owner, state), stored.Count);
        return ([.. stored.Take(limit)], total);
    }

    /// <summary>Cancels the caller's job: a running one is interrupted (workspace kept), a queued one never runs.</summary>
    public bool Cancel(string owner, string id)
    {
        if (FindActive(owner, id) is not { } job)
            return false;
        job.Cancellation.Cancel();
        return true;
    }

    /// <summary>
    /// Cancels the caller's job and returns its final record once it has stopped: the engine back at its prompt with the
    /// workspace kept, or killed and replaced when it did not answer the interrupt (the executor bounds that by
    /// engine.interrupt_grace). Null when the caller has no such job running.
    /// </summary>
    public async Task<JobRecord?> CancelAsync(string owner, string id, CancellationToken cancellationToken)
    {
        if (FindActive(owner, id) is not { } job)
            return null;
        await job.Cancellation.CancelAsync();
        await job.Completion.WaitAsync(cancellationToken);
        return job.Record;
    }

    private async Task RunAsync(Job job, TimeSpan limit, TimeSpan sessionWait, string? budgetNote)
    {
        ExecutionOutcome outcome;
        try
        {
            outcome = await RunInSessionAsync(job, limit, sessionWait);
        }
        catch (Exception e)
        {
            LogJobCrashed(logger, job.Id, e);
            outcome = ExecutionOutcome.Rejected($"The job failed inside the server ({e.GetType().Name}); see the server log.");
        }
        job.Output.CloseSpill(); // complete before anyone reads it (the output's end closed it already, unless the engine died)
        outcome = outcome with { Notice = Join(outcome.Notice, budgetNote), OutputFile = SpilledFile(job) };
        var record = job.Update(r => r with
        {
            State = outcome.Status,
            FinishedAt = time.GetUtcNow(),
            Result = results.Report(outcome),
            Error = outcome.IsError ? outcome.Message ?? outcome.Error?.Message : null,
        });
        store.Save(record);
        _active.TryRemove(job.Id, out _);
        job.Complete(outcome);
        if (_stopping && _active.IsEmpty)
            _drained.TrySetResult();
    }

    private async Task<ExecutionOutcome> RunInSessionAsync(Job job, TimeSpan limit, TimeSpan sessionWait)
    {
        var cancel = job.Cancellation.Token;
        SessionLease lease;
        try
        {
            lease = await sessions.AcquireAsync(job.Record.Owner, job.Record.Session, sessionWait, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return NeverStarted();
        }
        catch (Exception e) when (e is EngineStartException or CapacityException)
        {
            return ExecutionOutcome.Rejected(e.Message);
        }
        using (lease)
        {
            if (cancel.IsCancellationRequested)
                return NeverStarted();
            lease.Session.CurrentJob = job.Id;
            try
            {
                // Memory only: the stored "queued" row already reads as lost after a crash, and one write fewer
                // per call keeps short calls fast.
                job.Update(r => r with { State = JobState.Running, StartedAt = time.GetUtcNow() });
                job.Output.SpillTo(new OutputSpill(lease.Session.Folder, job.Id, output.Value.MaxSpillBytes));
                var before = FolderSnapshot.Take(lease.Session.Folder);
                var outcome = await executor.RunAsync(lease.Engine, job.Record.Code, limit, job.Output, cancel,
                    FigureExportFor(job, lease.Session.Folder), job.Options);
                return outcome with { Notice = lease.Notice, FilesChanged = FolderSnapshot.Take(lease.Session.Folder).ChangesSince(before) };
            }
            finally
            {
                lease.Session.CurrentJob = null;
            }
        }
    }

    private static OutputFileInfo? SpilledFile(Job job) => job.Output.Spill is { Opened: true } spill
        ? new OutputFileInfo(spill.RelativePath, SessionResources.Uri(job.Record.Session, spill.RelativePath), spill.Bytes, !spill.Cut)
        : null;

    private static string? Join(string? a, string? b) => a is null ? b : b is null ? a : $"{a} {b}";

    /// <summary>Stops accepting jobs and waits (bounded) for running ones to finish.</summary>
    public async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _stopping = true;
        if (_active.IsEmpty)
            return;
        LogDraining(logger, _active.Count, timeout.TotalSeconds);
        try
        {
            await _drained.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            LogDrainTimedOut(logger, _active.Count);
        }
    }

    /// <summary>Deletes finished jobs past jobs.retention_hours.</summary>
    public int EnforceRetention() => store.DeleteFinishedBefore(time.GetUtcNow() - jobOptions.Value.Retention);

    private static string NewId() => "job-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public ValueTask DisposeAsync()
    {
        // Jobs still running when the server stops end with their engines; record that, not "running" forever.
        foreach (var job in _active.Values)
            store.Save(job.Update(r => r with
            {
                State = JobState.Lost,
                FinishedAt = time.GetUtcNow(),
                Error = "The server shut down while this job was running; its result is unknown. Run the code again.",
            }));
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "job {JobId} failed inside the server")]
    private static partial void LogJobCrashed(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "shutting down: waiting up to {Seconds} s for {Count} running jobs")]
    private static partial void LogDraining(ILogger logger, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shutting down: {Count} jobs still running after the drain timeout")]
    private static partial void LogDrainTimedOut(ILogger logger, int count);
}
