using Microsoft.Extensions.Logging;

namespace MatlabMcp.Pool;

/// <summary>
/// A named workspace: one engine at a time, one call at a time, its own folder. A dead engine is
/// replaced on the next call, which is told that earlier variables are gone.
/// </summary>
internal sealed partial class EngineSession(string name, string folder, EngineFactory factory, ILogger<EngineSession> logger)
    : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Engine? _engine;

    public string Name { get; } = name;
    public string Folder { get; } = folder;

    /// <summary>Waits for the session to be free, starting (or restarting) its engine when needed.</summary>
    public async Task<SessionLease> AcquireAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            string? notice = null;
            if (_engine is { IsAlive: false } dead)
            {
                var reason = await dead.Exited;
                notice = $"This session's engine was restarted because {reason}; variables from earlier calls are gone.";
                LogEngineReplaced(logger, Name, reason);
                await dead.DisposeAsync();
                _engine = null;
            }
            _engine ??= await factory.StartAsync(Folder, cancellationToken);
            return new SessionLease(this, _engine, notice);
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    internal void Release() => _gate.Release();

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        if (_engine is not null)
            await _engine.DisposeAsync();
        _engine = null;
        _gate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "session {SessionId}: engine replaced because {Reason}")]
    private static partial void LogEngineReplaced(ILogger logger, string sessionId, string reason);
}

/// <summary>Exclusive use of a session's engine until disposed.</summary>
internal sealed class SessionLease(EngineSession session, Engine engine, string? notice) : IDisposable
{
    public EngineSession Session { get; } = session;
    public Engine Engine { get; } = engine;

    /// <summary>Something the caller must be told, e.g. that the engine was restarted.</summary>
    public string? Notice { get; } = notice;

    public void Dispose() => Session.Release();
}
