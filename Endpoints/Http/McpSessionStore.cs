using System.Collections.Concurrent;
using MatlabMcp.Configuration;
using Microsoft.Extensions.Logging;

namespace MatlabMcp.Endpoints.Http;

/// <summary>
/// The live stateful MCP transport sessions by <c>Mcp-Session-Id</c>. Owns the dictionary and the policy
/// (identity binding, idle expiry, a cap on how many are held); <see cref="McpSessionReaper"/> owns the timing.
/// </summary>
internal sealed partial class McpSessionStore(AppConfig config, TimeProvider time, ILogger<McpSessionStore> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, McpHttpSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    /// <summary>
    /// Adds a new session. At the cap the longest-idle session makes room; if every session is in use the
    /// new one is refused (false) rather than letting sessions grow without bound.
    /// </summary>
    public async Task<bool> TryAddAsync(McpHttpSession session)
    {
        while (_sessions.Count >= config.Server.MaxMcpSessions)
        {
            var oldest = _sessions.Values.MinBy(s => s.LastActivity);
            if (oldest is null || oldest.LastActivity == long.MaxValue)
                return false;
            if (oldest.TryBeginClose(long.MaxValue))
            {
                LogEvicted(logger, oldest.Id, config.Server.MaxMcpSessions);
                await RemoveAndDisposeAsync(oldest);
            }
        }
        _sessions[session.Id] = session;
        LogCreated(logger, session.Id, session.Identity);
        return true;
    }

    /// <summary>
    /// The session with this id, if it exists and belongs to <paramref name="identity"/>. Another identity's
    /// session is reported exactly like a missing one, so ids cannot be probed across identities.
    /// </summary>
    public McpHttpSession? Find(string id, string identity)
    {
        if (!_sessions.TryGetValue(id, out var session))
            return null;
        if (session.Identity == identity)
            return session;
        LogWrongIdentity(logger, id, identity);
        return null;
    }

    /// <summary>Ends a session at the client's request (DELETE).</summary>
    public async Task<bool> CloseAsync(string id, string identity)
    {
        if (Find(id, identity) is not { } session)
            return false;
        await RemoveAndDisposeAsync(session);
        LogClosed(logger, id);
        return true;
    }

    /// <summary>Disposes sessions nobody has used for <c>server.mcp_session_idle_timeout</c>.</summary>
    public async Task PruneIdleAsync()
    {
        var timeout = config.Server.McpSessionIdleTimeout;
        var cutoff = time.GetTimestamp() - (long)(timeout.TotalSeconds * time.TimestampFrequency);
        foreach (var session in _sessions.Values)
        {
            if (!session.TryBeginClose(cutoff))
                continue;
            LogExpired(logger, session.Id, timeout.TotalSeconds);
            await RemoveAndDisposeAsync(session);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions.Values)
            await RemoveAndDisposeAsync(session);
    }

    private async Task RemoveAndDisposeAsync(McpHttpSession session)
    {
        _sessions.TryRemove(new KeyValuePair<string, McpHttpSession>(session.Id, session));
        await session.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "MCP session {SessionId} created for {Identity}")]
    private static partial void LogCreated(ILogger logger, string sessionId, string identity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MCP session {SessionId} closed by the client")]
    private static partial void LogClosed(ILogger logger, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP session {SessionId} dropped after {Seconds:0} s idle")]
    private static partial void LogExpired(ILogger logger, string sessionId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP session {SessionId} dropped to stay within server.max_mcp_sessions ({Max})")]
    private static partial void LogEvicted(ILogger logger, string sessionId, int max);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP session {SessionId} was presented by {Identity}, who did not create it; refused")]
    private static partial void LogWrongIdentity(ILogger logger, string sessionId, string identity);
}
