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

    public string Identity { get; } = identity;
    public string Name { get; } = name;
    public string Folder { get; } = folder;
    public DateTimeOffset Created { get; } = time.GetUtcNow();
    public bool IsBusy => _busy;

    /// <summary>The job running in this session, if any (named in "session busy" messages).</summary>
    public string? CurrentJob
    {
        get => _currentJob;
        set
        {
            _currentJob = value;
            _currentJobStarted = time.GetTimestamp();
        }
    }

    /// <summary>Time since the last call started or ended (idle expiry is measured from here).</summary>
    public TimeSpan IdleFor => time.GetElapsedTime(Interlocked.Read(ref _lastActivity));

    /// <summary>
    /// Waits (bounded) for the session to be free, starting or replacing its engine when needed.
    /// Throws <see cref="SessionClosedException"/> if the session was closed meanwhile.
    /// </summary>
    public async Task<SessionLease> AcquireAsync(TimeSpan wait, int maxWaiting, CancellationToken cancellationToken)
    {
        Touch();
        if (Interlocked.Increment(ref _waiting) > maxWaiting + 1)
        {
            Interlocked.Decrement(ref _waiting);
            throw Busy(wait, tooMany: true);
        }
        try
        {
            if (!await _gate.WaitAsync(wait, cancellationToken))
                throw Busy(wait, tooMany: false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
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

    private void Touch() => Interlocked.Exchange(ref _lastActivity, time.GetTimestamp());

    private CapacityException Busy(TimeSpan wait, bool tooMany)
    {
        var job = _currentJob;
        var with = job is null ? "another call"
            : $"job {job} (running for {time.GetElapsedTime(Interlocked.Read(ref _currentJobStarted)).TotalSeconds:0} s)";
        var advice = job is null ? "Try again when it finishes" : $"Wait for it (get_job_status \"{job}\"), cancel it (cancel_job)";
        return new(tooMany
            ? $"Session '{Name}' is busy with {with} and other calls are already queued for it (pool.max_waiting). " +
              $"{advice}, or use another session (the 'session' argument)."
            : $"Session '{Name}' stayed busy with {with} for {wait.TotalSeconds:0.#} s (pool.acquire_timeout). " +
              $"{advice}, or use another session (the 'session' argument).");
    }

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
