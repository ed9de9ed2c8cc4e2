using MatlabMcp.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Pool;

/// <summary>
/// The elastic pool: at most pool.max_engines engines alive (starting, spare or assigned to a session),
/// a warm spare so a new session starts at once, and a bounded wait when every slot is taken.
/// A slot is reserved before an engine starts and released if the start fails, so failures never leak.
/// </summary>
internal sealed partial class EnginePool(EngineFactory factory, IOptions<PoolOptions> options, TimeProvider time, ILogger<EnginePool> logger)
    : IAsyncDisposable
{
    private readonly PoolOptions _options = options.Value;
    private readonly Lock _lock = new();
    private readonly Stack<SpareEngine> _spares = new();
    private TaskCompletionSource _changed = NewSignal();
    private int _live;          // engines counted against max_engines: starting, spare or assigned
    private int _startingSpares;
    private int _awaitingSpares; // renters waiting for a spare that is starting (see WaitForStartingSpareAsync)
    private int _waiting;
    private bool _disposed;

    private sealed record SpareEngine(Engine Engine, string Folder, long IdleSince);

    public int LiveEngines { get { lock (_lock) return _live; } }
    public int SpareCount { get { lock (_lock) return _spares.Count; } }
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>An engine for a session, working in <paramref name="folder"/>: a warm spare when there is one.</summary>
    public async Task<Engine> RentAsync(string folder, CancellationToken cancellationToken)
    {
        var spare = await WaitForStartingSpareAsync(cancellationToken)
            ?? TryTakeSpare(out var reserved) ?? (reserved ? null : await WaitForEngineOrSlotAsync(cancellationToken));
        if (spare is null)
        {
            EnsureSpares(); // this session starts cold anyway
            return await StartInReservedSlotAsync(folder, cancellationToken);
        }
        ReplenishSoon();
        bool moved;
        try
        {
            moved = await MoveIntoAsync(spare, folder, cancellationToken);
        }
        catch
        {
            await ReturnAsync(spare.Engine); // a failed hand-over must not keep the slot
            TryDelete(spare.Folder);
            throw;
        }
        if (moved)
            return spare.Engine;
        // A spare that cannot move in is no use: stop it and start one for this session in the slot it held.
        await spare.Engine.DisposeAsync();
        TryDelete(spare.Folder);
        return await StartInReservedSlotAsync(folder, cancellationToken);
    }

    /// <summary>
    /// Hands a spare to a session folder: an empty (new) session folder is replaced by the spare's own. The rename keeps
    /// the inode a sandboxed engine has mounted (and its owner, the engine's uid); an unsandboxed engine's working folder
    /// follows the rename too, and is then told its session folder, which confines its paths from then on.
    /// </summary>
    private async Task<bool> MoveIntoAsync(SpareEngine spare, string folder, CancellationToken cancellationToken)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            return false; // an existing session's files: only a fresh engine can mount them
        if (Directory.Exists(folder))
            Directory.Delete(folder);
        Directory.Move(spare.Folder, folder);
        if (factory.Sandbox.IsActive)
            return true;
        var moved = await spare.Engine.SendAsync(BridgeRequest.Eval, EngineLaunch.MoveInCommand(folder)).WaitAsync(cancellationToken);
        return moved.Ok;
    }

    /// <summary>Stops an engine that is no longer needed and frees its slot.</summary>
    public async Task ReturnAsync(Engine engine)
    {
        try
        {
            await engine.DisposeAsync();
        }
        finally
        {
            ReleaseSlot();
        }
    }

    /// <summary>
    /// Starts the replacement for a taken spare once the session that took it has had its first answer (its session calls
    /// <see cref="EnsureSpares"/> then), or after <see cref="ReplenishDelay"/> at the latest. Not at once: an engine
    /// starting beside that first answer competes with it for the CPU and slows it many times over.
    /// </summary>
    private void ReplenishSoon() =>
        _ = Task.Delay(ReplenishDelay, time).ContinueWith(_ => EnsureSpares(), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>
    /// The backstop for a session whose first answer is slow (a long first job): past this the pool stops waiting and
    /// warms the replacement, so the next new session still starts warm. Long enough for a typical first answer.
    /// </summary>
    private static readonly TimeSpan ReplenishDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>Keeps pool.spare_engines warm spares (and pool.min_engines engines) while slots allow.</summary>
    public void EnsureSpares()
    {
        while (true)
        {
            lock (_lock)
            {
                var wanted = Math.Max(_options.SpareEngines - _spares.Count - _startingSpares, _options.MinEngines - _live);
                if (_disposed || wanted <= 0 || _live >= _options.MaxEngines)
                    return;
                _live++;
                _startingSpares++;
            }
            _ = StartSpareAsync();
        }
    }

    private async Task StartSpareAsync()
    {
        Engine? engine = null;
        string? folder = null;
        try
        {
            folder = factory.CreateSpareFolder();
            engine = await factory.StartAsync(folder, CancellationToken.None, spare: true);
        }
        catch (Exception e) when (e is EngineStartException or IOException or UnauthorizedAccessException)
        {
            LogSpareFailed(logger, e.Message); // the counters below must come down whatever failed
        }
        lock (_lock)
        {
            _startingSpares--;
            if (engine is not null && !_disposed)
            {
                _spares.Push(new SpareEngine(engine, folder!, time.GetTimestamp()));
                Signal();
                return;
            }
        }
        if (engine is not null)
            await engine.DisposeAsync();
        if (folder is not null)
            TryDelete(folder);
        ReleaseSlot();
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Health-checks idle spares and stops those idle too long above pool.min_engines.</summary>
    /// <remarks>Spares stay available while they are checked: a new session arriving meanwhile still starts warm.</remarks>
    public async Task MaintainSparesAsync(CancellationToken cancellationToken)
    {
        SpareEngine[] spares;
        lock (_lock)
            spares = [.. _spares];
        foreach (var spare in spares)
        {
            var tooIdle = time.GetElapsedTime(spare.IdleSince) > _options.SpareIdleTimeout && LiveEngines > _options.MinEngines;
            if (!tooIdle && await IsHealthyAsync(spare.Engine, cancellationToken))
                continue;
            if (!TryRemoveSpare(spare))
                continue; // a session took it meanwhile: its own health checks look after it now
            LogSpareStopped(logger, spare.Engine.ProcessId, tooIdle ? "idle above pool.min_engines" : "failed a health check");
            await ReturnAsync(spare.Engine);
            TryDelete(spare.Folder);
        }
        // Only top up to the minimum here: spares beyond it are made on demand, so an idle pool shrinks.
        if (LiveEngines < _options.MinEngines)
            EnsureSpares();
    }

    private bool TryRemoveSpare(SpareEngine spare)
    {
        lock (_lock)
        {
            if (!_spares.Contains(spare))
                return false;
            var rest = _spares.Where(s => s != spare).Reverse().ToArray();
            _spares.Clear();
            foreach (var kept in rest)
                _spares.Push(kept);
            return true;
        }
    }

    /// <summary>
    /// Pings an idle engine (answer within pool.health_check_timeout). False means replace it: it is dead,
    /// or it failed pool.health_failures_to_replace checks in a row.
    /// </summary>
    public async Task<bool> IsHealthyAsync(Engine engine, CancellationToken cancellationToken)
    {
        if (!engine.IsAlive)
            return false;
        bool answered;
        try
        {
            answered = (await engine.SendAsync(BridgeRequest.Ping).WaitAsync(_options.HealthCheckTimeout, time, cancellationToken)).Ok;
        }
        catch (Exception e) when (e is TimeoutException or EngineDiedException)
        {
            answered = false;
        }
        engine.ConsecutiveHealthFailures = answered ? 0 : engine.ConsecutiveHealthFailures + 1;
        return engine.IsAlive && engine.ConsecutiveHealthFailures < _options.HealthFailuresToReplace;
    }

    private SpareEngine? TryTakeSpare(out bool reservedSlot)
    {
        reservedSlot = false;
        while (true)
        {
            SpareEngine? spare = null;
            lock (_lock)
            {
                if (_spares.Count > 0)
                    spare = _spares.Pop();
                else if (_live < _options.MaxEngines)
                {
                    _live++;
                    reservedSlot = true;
                    return null;
                }
                else
                    return null;
            }
            if (spare.Engine.IsAlive)
                return spare;
            _ = ReturnAsync(spare.Engine); // died while waiting: free its slot and look again
            TryDelete(spare.Folder);
        }
    }

    /// <summary>
    /// With no spare ready but one starting that no other renter waits for, waits for that one rather than starting a
    /// second engine beside it: a server's first call often comes while the spare started at launch is still starting,
    /// and two engine starts sharing the CPU would make that first answer wait for both. Null when there is nothing to
    /// wait for, or the start failed (the caller then starts one itself). Bounded by engine.startup_timeout, which ends
    /// every start.
    /// </summary>
    private async Task<SpareEngine?> WaitForStartingSpareAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_spares.Count > 0 || _startingSpares <= _awaitingSpares || _disposed)
                return null;
            _awaitingSpares++;
        }
        try
        {
            while (true)
            {
                Task changed;
                SpareEngine? spare = null;
                lock (_lock)
                {
                    changed = _changed.Task;
                    if (_spares.Count > 0)
                        spare = _spares.Pop();
                    else if (_startingSpares < _awaitingSpares || _disposed)
                        return null; // a start failed, or another renter took the spare: no longer worth waiting
                }
                if (spare is null)
                {
                    await changed.WaitAsync(cancellationToken);
                    continue;
                }
                if (spare.Engine.IsAlive)
                    return spare;
                _ = ReturnAsync(spare.Engine); // died meanwhile: free its slot; the caller starts one
                TryDelete(spare.Folder);
                return null;
            }
        }
        finally
        {
            lock (_lock)
                _awaitingSpares--;
        }
    }

    /// <summary>Waits (bounded in number and time) until a spare appears or a slot frees up.</summary>
    private async Task<SpareEngine?> WaitForEngineOrSlotAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _waiting) > _options.MaxWaiting)
        {
            Interlocked.Decrement(ref _waiting);
            throw Busy();
        }
        try
        {
            using var deadline = new CancellationTokenSource(_options.AcquireTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
            while (true)
            {
                Task changed;
                lock (_lock)
                    changed = _changed.Task;
                if (TryTakeSpare(out var reserved) is { } spare)
                    return spare;
                if (reserved)
                    return null;
                try
                {
                    await changed.WaitAsync(linked.Token);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw Busy();
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private async Task<Engine> StartInReservedSlotAsync(string folder, CancellationToken cancellationToken)
    {
        try
        {
            return await factory.StartAsync(folder, cancellationToken);
        }
        catch
        {
            ReleaseSlot();
            throw;
        }
    }

    private void ReleaseSlot()
    {
        lock (_lock)
        {
            _live--;
            Signal();
        }
    }

    private void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private CapacityException Busy() => new(
        $"Server busy: all {_options.MaxEngines} engines are in use (pool.max_engines) and {Waiting} other callers are waiting. " +
        "Try again shortly, close a session you no longer need (close_session), or ask the operator to raise pool.max_engines.");

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        List<SpareEngine> spares;
        lock (_lock)
        {
            _disposed = true;
            spares = [.. _spares];
            _spares.Clear();
        }
        foreach (var spare in spares)
            await ReturnAsync(spare.Engine);
    }


    [LoggerMessage(Level = LogLevel.Warning, Message = "spare engine failed to start: {Reason}")]
    private static partial void LogSpareFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "spare engine {ProcessId} stopped: {Reason}")]
    private static partial void LogSpareStopped(ILogger logger, int processId, string reason);
}
