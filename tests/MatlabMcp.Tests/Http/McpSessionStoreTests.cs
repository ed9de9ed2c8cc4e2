using MatlabMcp.Configuration;
using MatlabMcp.Endpoints.Http;
using MatlabMcp.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Server;

namespace MatlabMcp.Tests.Http;

/// <summary>Transport-session bookkeeping on a fake clock: identity binding, idle expiry from last use, the cap.</summary>
public sealed class McpSessionStoreTests : IAsyncDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);
    private readonly FakeClock _clock = new();
    private readonly AppConfig _config = new();
    private McpSessionStore _store = null!;

    [Before(Test)]
    public Task InitializeAsync()
    {
        _config.Server.McpSessionIdleTimeoutSeconds = 60;
        _store = new McpSessionStore(_config, _clock, NullLogger<McpSessionStore>.Instance);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _store.DisposeAsync();

    [Test]
    public async Task Find_ByOwner_ReturnsSession_ByOtherIdentity_ReturnsNull()
    {
        var session = await AddAsync("s1", "alice");

        await Assert.That(_store.Find("s1", "alice")).IsSameReferenceAs(session);
        await Assert.That(_store.Find("s1", "bob")).IsNull();
        await Assert.That(_store.Find("s2", "alice")).IsNull();
    }

    [Test]
    public async Task PruneIdle_UnusedPastTimeout_IsClosed_NotBefore()
    {
        var session = await AddAsync("s1", "alice");

        _clock.Advance(TimeSpan.FromSeconds(59));
        await _store.PruneIdleAsync();
        await Assert.That(session.Closed.IsCompleted).IsFalse();

        _clock.Advance(TimeSpan.FromSeconds(2));
        await _store.PruneIdleAsync();
        await session.Closed.WaitAsync(WaitLimit);
        await Assert.That(_store.Find("s1", "alice")).IsNull();
    }

    [Test]
    public async Task PruneIdle_IdleTimeCountsFromLastUse()
    {
        var session = await AddAsync("s1", "alice");
        _clock.Advance(TimeSpan.FromSeconds(50));
        using (session.TryAcquire())
        {
        }

        _clock.Advance(TimeSpan.FromSeconds(50));
        await _store.PruneIdleAsync();
        await Assert.That(session.Closed.IsCompleted).IsFalse().Because("used 50 s ago, so not yet idle for 60 s");

        _clock.Advance(TimeSpan.FromSeconds(11));
        await _store.PruneIdleAsync();
        await session.Closed.WaitAsync(WaitLimit);
    }

    [Test]
    public async Task PruneIdle_SessionHeldByARequest_IsKept()
    {
        var session = await AddAsync("s1", "alice");
        var reference = session.TryAcquire();

        _clock.Advance(TimeSpan.FromHours(3));
        await _store.PruneIdleAsync();
        await Assert.That(session.Closed.IsCompleted).IsFalse();

        reference!.Value.Dispose();
        _clock.Advance(TimeSpan.FromSeconds(61));
        await _store.PruneIdleAsync();
        await session.Closed.WaitAsync(WaitLimit);
    }

    [Test]
    public async Task TryAcquire_AfterClose_ReturnsNull()
    {
        var session = await AddAsync("s1", "alice");

        await Assert.That(await _store.CloseAsync("s1", "alice")).IsTrue();

        await Assert.That(session.TryAcquire()).IsNull();
        await Assert.That(_store.Find("s1", "alice")).IsNull();
    }

    [Test]
    public async Task Close_ByOtherIdentity_IsRefusedAndKeepsSession()
    {
        var session = await AddAsync("s1", "alice");

        await Assert.That(await _store.CloseAsync("s1", "bob")).IsFalse();

        await Assert.That(_store.Find("s1", "alice")).IsSameReferenceAs(session);
    }

    [Test]
    public async Task TryAdd_AtCap_ClosesLongestIdleSession()
    {
        _config.Server.MaxMcpSessions = 2;
        var oldest = await AddAsync("s1", "alice");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var newer = await AddAsync("s2", "alice");

        var third = await AddAsync("s3", "bob");

        await oldest.Closed.WaitAsync(WaitLimit);
        await Assert.That(_store.Find("s2", "alice")).IsSameReferenceAs(newer);
        await Assert.That(_store.Find("s3", "bob")).IsSameReferenceAs(third);
    }

    [Test]
    public async Task TryAdd_AtCapWithEverySessionInUse_IsRefused()
    {
        _config.Server.MaxMcpSessions = 1;
        var busy = await AddAsync("s1", "alice");
        using var reference = busy.TryAcquire();

        var refused = NewSession("s2", "bob");
        await Assert.That(await _store.TryAddAsync(refused)).IsFalse();
        await refused.DisposeAsync();

        await Assert.That(busy.Closed.IsCompleted).IsFalse();
    }

    [Test]
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
        await Assert.That(held.Closed.IsCompleted).IsFalse();

        reference!.Value.Dispose();
        await reaper.StopAsync(CancellationToken.None);
        await held.Closed.WaitAsync(WaitLimit);
    }

    private async Task<McpHttpSession> AddAsync(string id, string identity)
    {
        var session = NewSession(id, identity);
        await Assert.That(await _store.TryAddAsync(session)).IsTrue();
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
