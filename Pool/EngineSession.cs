using Microsoft.Extensions.Logging;

namespace MatlabMcp.Pool;

/// <summary>
/// A named workspace of one identity: one engine at a time, one call at a time, its own folder.
/// A dead engine is replaced on the next call, which is told that earlier variables are gone.
/// </summary>
internal sealed partial class EngineSession(string identity, string name, string folder, EnginePool pool,
    TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Engine? _engine;
    private int _waiting;
    private long _lastActivity = time.GetTimestamp();
    private volatile bool _closed;
    private volatile bool _busy;
    private bool _rented; // the engine was just rented: the pool replaces its spare once this lease ends
    private volatile string? _currentJob;
    private long _currentJobStarted;
    private TaskCompletionSource _jobStarted = NewSignal();

    public string Identity { get; } = identity;
    public string Name { get; } = name;
    public string Folder { get; } = folder;
    public DateTimeOffset Created { get; } = time.GetUtcNow();
    public bool IsBusy => _busy;

    /// <summary>Whether an engine runs for this session now (a session made for files alone has none until its first call).</summary>
    public bool HasLiveEngine => _engine is { IsAlive: true };

    /// <summary>The job running in this session, if any (named in "session busy" messages).</summary>
    public string? CurrentJob
    {
        get => _currentJob;
        set
        {
            _currentJobStarted = time.GetTimestamp();
            _currentJob = value;
            if (value is not null)
                Interlocked.Exchange(ref _jobStarted, NewSignal()).TrySetResult(); // callers waiting for a non-job holder re-decide
        }
    }

    /// <summary>Time since the last call started or ended (idle expiry is measured from here).</summary>
    public TimeSpan IdleFor => time.GetElapsedTime(Interlocked.Read(ref _lastActivity));

    /// <summary>
    /// The session, exclusively, starting or replacing its engine when needed. While a job holds it the caller waits at
    /// most <paramref name="busyWait"/> (zero: told at once, with the job's id); anything else holding it (an engine start,
    /// a workspace read, a health check) is short, and is waited for up to <paramref name="wait"/> (pool.acquire_timeout).
    /// Throws <see cref="CapacityException"/> when busy, <see cref="SessionClosedException"/> if closed meanwhile.
    /// </summary>
    public async Task<SessionLease> AcquireAsync(TimeSpan wait, TimeSpan busyWait, int maxWaiting, CancellationToken cancellationToken)
    {
        Touch();
        if (!_gate.Wait(0))
        {
            if (_currentJob is not null && busyWait <= TimeSpan.Zero)
                throw Busy(BusyReason.Now, busyWait);
            if (Interlocked.Increment(ref _waiting) > maxWaiting) // only callers that wait count: the holder is not one
            {
                Interlocked.Decrement(ref _waiting);
                throw Busy(BusyReason.TooMany, busyWait);
            }
            try
            {
                await WaitForGateAsync(wait, busyWait, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }
        try
        {
            if (_closed)
                throw new SessionClosedException();
            string? notice = null;
            if (_engine is { IsAlive: false } dead)
            {
                var reason = await dead.Exited;
                notice = $"This session's engine was restarted because {reason}; variables from earlier calls are gone.";
                LogEngineReplaced(logger, Name, reason);
                _engine = null;
                await pool.ReturnAsync(dead);
            }
            var engine = _engine ?? await RentAsync(cancellationToken);
            _busy = true;
            return new SessionLease(this, engine, notice);
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    /// <summary>Waits for the gate: up to <paramref name="wait"/> while no job holds it, up to <paramref name="busyWait"/> once one does.</summary>
    private async Task WaitForGateAsync(TimeSpan wait, TimeSpan busyWait, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var jobStarted = Volatile.Read(ref _jobStarted).Task; // read before the job: a job starting after this is seen
            var jobHolds = _currentJob is not null;
            var left = (jobHolds ? busyWait : wait) - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
                throw Busy(jobHolds ? BusyReason.Waited : BusyReason.TimedOut, jobHolds ? busyWait : wait);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var gate = _gate.WaitAsync(left, stop.Token);
            if (jobHolds || await Task.WhenAny(gate, jobStarted) == gate)
            {
                if (await gate)
                    return;
                continue; // the limit passed: the loop says which
            }
            // A job took the session while we waited for what held it before: from now on busyWait applies.
            await stop.CancelAsync();
            try
            {
                if (await gate)
                    return; // the gate was ours before the cancel landed
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    internal void Release()
    {
        _busy = false;
        Touch();
        var rented = _rented;
        _rented = false;
        _gate.Release();
        if (rented)
            pool.EnsureSpares(); // after the first answer: replaces the spare this session may have taken (see EnginePool.RentAsync)
    }

    /// <summary>Replaces the engine with a fresh one: variables are cleared, files are kept.</summary>
    public async Task ResetAsync(SessionLease lease, CancellationToken cancellationToken)
    {
        var old = _engine;
        _engine = null;
        if (old is not null)
            await pool.ReturnAsync(old);
        lease.Engine = await RentAsync(cancellationToken);
    }

    /// <summary>A new engine for this session; the pool replaces the spare it may have been once this lease ends.</summary>
    private async Task<Engine> RentAsync(CancellationToken cancellationToken)
    {
        _engine = await pool.RentAsync(Folder, cancellationToken);
        _engine.FunctionFiles = new FunctionFileWatch(Folder); // what a fresh engine has not loaded needs no reload
        _rented = true;
        return _engine;
    }

    /// <summary>Health check of an idle session's engine; never waits for a busy one.</summary>
    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        if (!_gate.Wait(0))
            return;
        try
        {
            if (_engine is { } engine && engine.IsAlive && !await pool.IsHealthyAsync(engine, cancellationToken))
            {
                LogUnhealthy(logger, Name, engine.ProcessId);
                engine.Kill(); // the next call sees a dead engine and replaces it, with a notice
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the engine at once (a running call ends with "engine stopped") and removes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        _closed = true;
        _engine?.Kill();
        await _gate.WaitAsync();
        try
        {
            if (_engine is not null)
                await pool.ReturnAsync(_engine);
            _engine = null;
            TryDeleteFolder();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Marks the session active now (idle expiry counts from here); file tools call it too.</summary>
    public void Touch() => Interlocked.Exchange(ref _lastActivity, time.GetTimestamp());

    private enum BusyReason
    {
        Now,      // a job holds it and the caller asked not to wait
        Waited,   // a job still held it after the caller's wait_seconds
        TimedOut, // something else held it past pool.acquire_timeout
        TooMany,  // pool.max_waiting callers already wait for it
    }

    private CapacityException Busy(BusyReason reason, TimeSpan waited)
    {
        var job = _currentJob;
        var with = job is null ? "another call"
            : $"job {job} (running for {time.GetElapsedTime(Interlocked.Read(ref _currentJobStarted)).TotalSeconds:0} s)";
        var advice = job is null ? "Try again in a moment"
            : $"Wait for the job (get_job_result with job_id \"{job}\" and wait_seconds), call again with wait_seconds to wait for " +
              $"the session, cancel the job (cancel_job with job_id \"{job}\")";
        return new(reason switch
        {
            BusyReason.Now => $"Session '{Name}' is busy with {with}. {advice}, or use another session (the 'session' argument).",
            BusyReason.Waited => $"Session '{Name}' is still busy with {with} after waiting {waited.TotalSeconds:0.#} s (wait_seconds). " +
                $"{advice}, or use another session (the 'session' argument).",
            BusyReason.TooMany => $"Session '{Name}' is busy with {with} and other calls are already queued for it (pool.max_waiting). " +
                $"{advice}, or use another session (the 'session' argument).",
            _ => $"Session '{Name}' stayed busy with {with} for {waited.TotalSeconds:0.#} s (pool.acquire_timeout). " +
                $"{advice}, or use another session (the 'session' argument).",
        });
    }

    /// <summary>The answer for a caller who will not wait while a job holds the session; null when no job does.</summary>
    public string? BusyWithJob() => _currentJob is null ? null : Busy(BusyReason.Now, TimeSpan.Zero).Message;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void TryDeleteFolder()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFolderNotRemoved(logger, Name, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "session {SessionId}: engine replaced because {Reason}")]
    private static partial void LogEngineReplaced(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "session {SessionId}: engine {ProcessId} failed its health check and was stopped")]
    private static partial void LogUnhealthy(ILogger logger, string sessionId, int processId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "session {SessionId}: folder not removed: {Reason}")]
    private static partial void LogFolderNotRemoved(ILogger logger, string sessionId, string reason);
}

/// <summary>The session was closed while the caller waited for it; the registry starts a new one.</summary>
internal sealed class SessionClosedException : Exception;

/// <summary>Exclusive use of a session's engine until disposed.</summary>
internal sealed class SessionLease(EngineSession session, Engine engine, string? notice) : IDisposable
{
    public EngineSession Session { get; } = session;
    public Engine Engine { get; internal set; } = engine;

    /// <summary>Something the caller must be told, e.g. that the engine was restarted or the session expired.</summary>
    public string? Notice { get; internal set; } = notice;

    private int _released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
            Session.Release();
    }
}
