using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MatlabMcp.Pool;

/// <summary>The server's sessions by name. Engines live here (a singleton), never in per-request objects.</summary>
internal sealed class SessionRegistry(EngineFactory factory, ILoggerFactory loggers) : IAsyncDisposable
{
    public const string DefaultName = "main";
    private readonly ConcurrentDictionary<string, Lazy<EngineSession>> _sessions = new(StringComparer.Ordinal);

    public EngineSession Get(string name = DefaultName) =>
        _sessions.GetOrAdd(name, n => new Lazy<EngineSession>(() =>
            new EngineSession(n, factory.CreateSessionFolder(n), factory, loggers.CreateLogger<EngineSession>()))).Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions.Values.Where(s => s.IsValueCreated))
            await session.Value.DisposeAsync();
        _sessions.Clear();
    }
}
