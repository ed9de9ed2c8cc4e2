using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints.Http;

/// <summary>
/// One stateful MCP transport session (<c>Mcp-Session-Id</c>): its transport, its server loop and the identity
/// that created it. This is protocol state only; engines are never owned here (see Pool/SessionRegistry).
/// </summary>
internal sealed class McpHttpSession : IAsyncDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _closedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _run = Task.CompletedTask;
    private int _references;
    private long _lastActivity;
    private bool _closing;
    private bool _disposed;
    private int _getStarted;

    public McpHttpSession(string id, string identity, StreamableHttpServerTransport transport, McpServer server, TimeProvider time)
    {
        Id = id;
        Identity = identity;
        Transport = transport;
        Server = server;
        _time = time;
        _lastActivity = time.GetTimestamp();
    }

    public string Id { get; }

    /// <summary>The caller identity that created the session; requests from any other identity are refused.</summary>
    public string Identity { get; }

    public StreamableHttpServerTransport Transport { get; }
    public McpServer Server { get; }

    /// <summary>Completes once the session has been disposed.</summary>
    public Task Closed => _closedSignal.Task;

    public void Start() => _run = Server.RunAsync(_closed.Token);

    /// <summary>
    /// Holds the session open for one request: a held session is never reaped, and its idle time counts from
    /// the moment the last reference is released. Null once the session is closing.
    /// </summary>
    public Reference? TryAcquire()
    {
        lock (_lock)
        {
            if (_closing)
                return null;
            _references++;
            _lastActivity = _time.GetTimestamp();
            return new Reference(this);
        }
    }

    /// <summary>
    /// Marks the session closing if nobody holds it and it was last used before <paramref name="cutoff"/>
    /// (a timestamp). Deciding and marking under one lock means a request can never acquire a session that
    /// the reaper has already chosen.
    /// </summary>
    public bool TryBeginClose(long cutoff)
    {
        lock (_lock)
        {
            if (_closing || _references > 0 || _lastActivity >= cutoff)
                return false;
            _closing = true;
            return true;
        }
    }

    public long LastActivity
    {
        get
        {
            lock (_lock)
                return _references > 0 ? long.MaxValue : _lastActivity;
        }
    }

    /// <summary>The transport serves one unsolicited GET stream per session.</summary>
    public bool TryStartGet() => Interlocked.Exchange(ref _getStarted, 1) == 0;

    /// <summary>SDK order: the transport first (ends the server loop cleanly), then cancel, await, dispose the server.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = _closing = true;
        }
        try
        {
            await Transport.DisposeAsync();
            await _closed.CancelAsync();
            await _run;
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await Server.DisposeAsync();
            _closed.Dispose();
            _closedSignal.TrySetResult();
        }
    }

    private void Release()
    {
        lock (_lock)
        {
            _references--;
            _lastActivity = _time.GetTimestamp();
        }
    }

    public readonly struct Reference(McpHttpSession session) : IDisposable
    {
        public void Dispose() => session.Release();
    }
}
