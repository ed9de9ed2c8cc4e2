using MatlabMcp.Configuration;
using MatlabMcp.Endpoints.Http;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Server;

namespace MatlabMcp.Tests.Http;

/// <summary>Transport-session bookkeeping on a manual clock: identity binding, idle expiry from last use, the cap.</summary>
public sealed class McpSessionStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);
    private readonly ManualClock _clock = new();
    private readonly AppConfig _config = new();
    private McpSessionStore _store = null!;

    public Task InitializeAsync()
    {
        _config.Server.McpSessionIdleTimeoutSeconds = 60;
        _store = new McpSessionStore(_config, _clock, NullLogger<McpSessionStore>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Find_ByOwner_ReturnsSession_ByOtherIdentity_ReturnsNull()
    {
        var session = await AddAsync("s1", "alice");

        Assert.Same(session, _store.Find("s1", "alice"));
        Assert.Null(_store.Find("s1", "bob"));
        Assert.Null(_store.Find("s2", "alice"));
    }

    [Fact]
    public async Task PruneIdle_UnusedPastTimeout_IsClosed_NotBefore()
    {
        var session = await AddAsync("s1", "alice");

        _clock.Advance(TimeSpan.FromSeconds(59));
        await _store.PruneIdleAsync();
        Assert.False(session.Closed.IsCompleted);

        _clock.Advance(TimeSpan.FromSeconds(2));
        await _store.PruneIdleAsync();
        await session.Closed.WaitAsync(WaitLimit);
        Assert.Null(_store.Find("s1", "alice"));
    }

    [Fact]
    public async Task PruneIdle_IdleTimeCountsFromLastUse()
    {
        var session = await AddAsync("s1", "alice");
        _clock.Advance(TimeSpan.FromSeconds(50));
        using (session.TryAcquire())
        {
        }

        _clock.Advance(TimeSpan.FromSeconds(50));
        await _store.PruneIdleAsync();
        Assert.False(session.Closed.IsCompleted, "used 50 s ago, so not yet idle for 60 s");

        _clock.Advance(TimeSpan.FromSeconds(11));
        await _store.PruneIdleAsync();
        await session.Closed.WaitAsync(WaitLimit);
    }

    [Fact]
    public async Task PruneIdle_SessionHeldByARequest_IsKept()
    {
        var session = await AddAsync("s1", "alice");
        var reference = session.TryAcquire();

        _clock.Advance(TimeSpan.FromHours(3));
        await _store.PruneIdleAsync();
        Assert.False(session.Closed.IsCompleted);

        reference!.Value.Dispose();
        _clock.Advance(TimeSpan.FromSeconds(61));
        await _store.PruneIdleAsync();
        await session.Closed.WaitAsync(WaitLimit);
    }

    [Fact]
    public async Task TryAcquire_AfterClose_ReturnsNull()
    {
        var session = await AddAsync("s1", "alice");

        Assert.True(await _store.CloseAsync("s1", "alice"));

        Assert.Null(session.TryAcquire());
        Assert.Null(_store.Find("s1", "alice"));
    }

    [Fact]
    public async Task Close_ByOtherIdentity_IsRefusedAndKeepsSession()
    {
        var session = await AddAsync("s1", "alice");

        Assert.False(await _store.CloseAsync("s1", "bob"));

        Assert.Same(session, _store.Find("s1", "alice"));
    }

    [Fact]
    public async Task TryAdd_AtCap_ClosesLongestIdleSession()
    {
        _config.Server.MaxMcpSessions = 2;
        var oldest = await AddAsync("s1", "alice");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var newer = await AddAsync("s2", "alice");

        var third = await AddAsync("s3", "bob");

        await oldest.Closed.WaitAsync(WaitLimit);
        Assert.Same(newer, _store.Find("s2", "alice"));
        Assert.Same(third, _store.Find("s3", "bob"));
    }

    [Fact]
    public async Task TryAdd_AtCapWithEverySessionInUse_IsRefused()
    {
        _config.Server.MaxMcpSessions = 1;
        var busy = await AddAsync("s1", "alice");
        using var reference = busy.TryAcquire();

        var refused = NewSession("s2", "bob");
        Assert.False(await _store.TryAddAsync(refused));
        await refused.DisposeAsync();

        Assert.False(busy.Closed.IsCompleted);
    }

    [Fact]
    public async Task Reaper_TimerTick_ClosesIdleSessions_AndClosesAllOnStop()
    {
        var idle = await AddAsync("s1", "alice");
        var held = await AddAsync("s2", "bob");
        var reference = held.TryAcquire();
        using var reaper = new McpSessionReaper(_store, _clock, NullLogger<McpSessionReaper>.Instance);
        await reaper.StartAsync(CancellationToken.None);
        await _clock.TimerCreated.WaitAsync(WaitLimit);

        _clock.Advance(TimeSpan.FromSeconds(60) + McpSessionReaper.Interval);
        await idle.Closed.WaitAsync(WaitLimit);
        Assert.False(held.Closed.IsCompleted);

        reference!.Value.Dispose();
        await reaper.StopAsync(CancellationToken.None);
        await held.Closed.WaitAsync(WaitLimit);
    }

    private async Task<McpHttpSession> AddAsync(string id, string identity)
    {
        var session = NewSession(id, identity);
        Assert.True(await _store.TryAddAsync(session));
        return session;
    }

    private McpHttpSession NewSession(string id, string identity)
    {
        var transport = new StreamableHttpServerTransport { SessionId = id };
        var server = McpServer.Create(transport, new McpServerOptions(), NullLoggerFactory.Instance);
        var session = new McpHttpSession(id, identity, transport, server, _clock);
        session.Start();
        return session;
    }
}
