using System.Text.RegularExpressions;
using MatlabMcp.Configuration;
using MatlabMcp.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionOptions = MatlabMcp.Configuration.SessionOptions; // not ASP.NET Core's, which the web SDK imports

namespace MatlabMcp.Pool;

/// <summary>
/// Every session, keyed by (identity, name). One identity can never name, list or close another's
/// sessions: every lookup includes the caller's identity. Engines live here (a singleton), never in
/// per-request objects, so sessions work the same with or without a transport session id.
/// </summary>
internal sealed partial class SessionRegistry(EngineFactory factory, EnginePool pool, IOptions<PoolOptions> poolOptions,
    IOptions<SessionOptions> sessionOptions, TimeProvider time, ILoggerFactory loggers) : IAsyncDisposable
{
    public const string DefaultName = "main";
    private const int MaxRememberedExpiries = 1000;

    private readonly PoolOptions _pool = poolOptions.Value;
    private readonly SessionOptions _limits = sessionOptions.Value;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Identity, string Name), EngineSession> _sessions = [];
    private readonly Dictionary<(string Identity, string Name), string> _ended = []; // why a name stopped existing
    private readonly ILogger _logger = loggers.CreateLogger<SessionRegistry>();
    private bool _disposed;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")]
    private static partial Regex ValidName();

    public static string? ValidateName(string? name) =>
        name is null || ValidName().IsMatch(name) ? null
            : $"Invalid session name '{name}': use 1-40 letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. \"main\", \"worktree-b\").";

    /// <summary>
    /// The caller's session (created on first use), exclusively, with any notice the caller must see. A session running
    /// a job answers "busy" at once, naming the job; other holders are waited for (pool.acquire_timeout).
    /// </summary>
    public Task<SessionLease> AcquireAsync(string identity, string? name, CancellationToken cancellationToken) =>
        AcquireAsync(identity, name, TimeSpan.Zero, cancellationToken);

    /// <summary>As above, waiting up to <paramref name="busyWait"/> for a running job to end (a caller's wait_seconds).</summary>
    public async Task<SessionLease> AcquireAsync(string identity, string? name, TimeSpan busyWait, CancellationToken cancellationToken)
    {
        name ??= DefaultName;
        if (ValidateName(name) is { } invalid)
            throw new CapacityException(invalid);
        while (true)
        {
            var (session, notice) = GetOrCreate(identity, name);
            try
            {
                var lease = await session.AcquireAsync(_pool.AcquireTimeout, busyWait, _pool.MaxWaiting, cancellationToken);
                lease.Notice = Join(notice, lease.Notice);
                return lease;
            }
            catch (SessionClosedException)
            {
                // Closed or expired while we waited: the loop makes a fresh one under the same name.
            }
        }
    }

    /// <summary>Why the caller's session cannot take a call now (a job runs in it), or null: lets a refusal come before any job is made.</summary>
    public string? BusyWithJob(string identity, string? name)
    {
        lock (_lock)
            return _sessions.GetValueOrDefault((identity, name ?? DefaultName))?.BusyWithJob();
    }

    /// <summary>
    /// The caller's session for file work, without an engine: created (its folder only) when <paramref name="create"/>,
    /// otherwise null when the caller has none of that name. Counts as activity. File tools use this: they need a folder,
    /// not an engine, and never wait for a running job.
    /// </summary>
    public EngineSession? ForFiles(string identity, string? name, bool create, out string? notice)
    {
        notice = null;
        name ??= DefaultName;
        if (ValidateName(name) is { } invalid)
            throw new CapacityException(invalid);
        EngineSession? session;
        if (create)
            (session, notice) = GetOrCreate(identity, name);
        else
            lock (_lock)
                session = _sessions.GetValueOrDefault((identity, name));
        session?.Touch();
        return session;
    }

    /// <summary>The folder of the caller's session of that name (which may no longer, or not yet, exist).</summary>
    public string FolderOf(string identity, string name) => factory.SessionFolder(identity, name);

    /// <summary>
    /// The caller's session folder for the server and for its engine (inside the sandbox it is the same mount point for
    /// every engine); the name must have passed <see cref="ValidateName"/>.
    /// </summary>
    public SessionFolders FoldersOf(string identity, string? name)
    {
        var host = factory.SessionFolder(identity, name ?? DefaultName);
        return new SessionFolders(host, factory.Sandbox.IsActive ? EngineSandbox.InsideFolder(factory.Root) : host);
    }

    /// <summary>The caller's own sessions, never anyone else's.</summary>
    public IReadOnlyList<EngineSession> List(string identity)
    {
        lock (_lock)
            return [.. _sessions.Values.Where(s => s.Identity == identity).OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    /// <summary>Closes the caller's session; false when the caller has no session of that name.</summary>
    public Task<bool> CloseAsync(string identity, string name, string reason = "it was closed with close_session") =>
        CloseIfAsync(identity, name, _ => true, reason);

    /// <summary>Closes sessions idle longer than sessions.idle_timeout (measured from their last activity).</summary>
    public async Task ReapIdleAsync()
    {
        var limit = _limits.IdleTimeout;
        bool Idle(EngineSession s) => !s.IsBusy && s.IdleFor > limit;
        List<EngineSession> idle;
        lock (_lock)
            idle = [.. _sessions.Values.Where(Idle)];
        // Re-checked under the lock: meanwhile the session may have taken a call, or been closed and made anew.
        foreach (var session in idle)
            await CloseIfAsync(session.Identity, session.Name, s => ReferenceEquals(s, session) && Idle(s),
                $"it expired after {limit.TotalMinutes:0.#} min without activity (sessions.idle_timeout)");
    }

    private async Task<bool> CloseIfAsync(string identity, string name, Func<EngineSession, bool> applies, string reason)
    {
        EngineSession? session;
        lock (_lock)
        {
            if (!_sessions.TryGetValue((identity, name), out session) || !applies(session))
                return false;
            _sessions.Remove((identity, name));
            Remember((identity, name), reason);
        }
        await session.DisposeAsync();
        LogClosed(_logger, identity, name, reason);
        return true;
    }

    /// <summary>Health-checks the engines of idle sessions.</summary>
    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        List<EngineSession> all;
        lock (_lock)
            all = [.. _sessions.Values];
        foreach (var session in all)
            await session.CheckHealthAsync(cancellationToken);
    }

    private (EngineSession Session, string? Notice) GetOrCreate(string identity, string name)
    {
        var key = (identity, name);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_sessions.TryGetValue(key, out var existing))
                return (existing, null);
            var mine = _sessions.Keys.Count(k => k.Identity == identity);
            if (mine >= _limits.MaxPerIdentity)
                throw new CapacityException(
                    $"You already have {mine} sessions (sessions.max_per_identity = {_limits.MaxPerIdentity}): " +
                    $"{string.Join(", ", _sessions.Keys.Where(k => k.Identity == identity).Select(k => k.Name).Order())}. " +
                    "Reuse one of them (the 'session' argument) or close one with close_session.");
            if (_sessions.Count >= _limits.MaxTotal)
                throw new CapacityException(
                    $"The server holds its maximum of {_limits.MaxTotal} sessions (sessions.max_total). " +
                    "Close a session you no longer need (close_session) or try again later.");
            var session = new EngineSession(identity, name, factory.CreateSessionFolder(identity, name), pool, time,
                loggers.CreateLogger<EngineSession>());
            _sessions[key] = session;
            var notice = _ended.Remove(key, out var why)
                ? $"Session '{name}' was started fresh: the previous one ended because {why}; its variables and files are gone."
                : null;
            return (session, notice);
        }
    }

    private void Remember((string, string) key, string reason)
    {
        if (_ended.Count >= MaxRememberedExpiries)
            _ended.Remove(_ended.Keys.First());
        _ended[key] = reason;
    }

    private static string? Join(string? a, string? b) => a is null ? b : b is null ? a : $"{a} {b}";

    public async ValueTask DisposeAsync()
    {
        List<EngineSession> all;
        lock (_lock)
        {
            _disposed = true;
            all = [.. _sessions.Values];
            _sessions.Clear();
        }
        foreach (var session in all)
            await session.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "session {Identity}/{SessionId} closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string identity, string sessionId, string reason);
}
