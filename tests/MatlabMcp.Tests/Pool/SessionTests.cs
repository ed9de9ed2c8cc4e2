using MatlabMcp.Jobs;
using MatlabMcp.Pool;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>Named sessions, identities and idle expiry against real engines.</summary>
public sealed class SessionTests : IAsyncLifetime
{
    private readonly ShiftedTime _time = new();
    private readonly EngineHarness _engine;

    public SessionTests() => _engine = new EngineHarness(c =>
    {
        c.Sessions.IdleTimeoutSeconds = 60;
        c.Sessions.MaxPerIdentity = 2;
        c.Sessions.MaxTotal = 3;
    }, _time);

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Fact]
    public async Task Session_ByName_KeepsItsOwnWorkspace()
    {
        await _engine.RunAsync("x = 1;", session: "alpha");
        await _engine.RunAsync("x = 2;", session: "beta");

        Assert.Equal("1\n", (await _engine.RunAsync("disp(x)", session: "alpha")).Output);
        Assert.Equal("2\n", (await _engine.RunAsync("disp(x)", session: "beta")).Output);
        Assert.NotEqual(await _engine.EnginePidAsync("alpha"), await _engine.EnginePidAsync("beta"));
    }

    [Fact]
    public async Task Identities_WithTheSameSessionName_NeverShareWorkspaceFilesOrControl()
    {
        await _engine.RunAsync("secret = 42; fid = fopen('secret.txt', 'w'); fprintf(fid, 'a'); fclose(fid);", identity: "alice");

        var bob = await _engine.RunAsync("disp(exist('secret')); disp(exist('secret.txt', 'file'))", identity: "bob");

        Assert.Equal("0\n0\n", bob.Output);
        Assert.DoesNotContain(_engine.Sessions.List("bob"), s => s.Identity == "alice");
        Assert.Single(_engine.Sessions.List("alice"));
        Assert.False(await _engine.Sessions.CloseAsync("bob", "nonexistent"));
        await _engine.Sessions.CloseAsync("bob", "main");
        Assert.Equal("42\n", (await _engine.RunAsync("disp(secret)", identity: "alice")).Output);
        Assert.NotEqual((await _engine.SessionAsync(identity: "alice")).Folder, (await _engine.SessionAsync(identity: "bob")).Folder);
    }

    [Fact]
    public async Task IdleExpiry_CountsFromLastActivity_NotCreation()
    {
        await _engine.RunAsync("x = 1;");
        _time.Advance(TimeSpan.FromSeconds(40));
        await _engine.Sessions.ReapIdleAsync();
        await _engine.RunAsync("y = 2;"); // activity at t = 40 s

        _time.Advance(TimeSpan.FromSeconds(40)); // 80 s after creation, 40 s after the last activity
        await _engine.Sessions.ReapIdleAsync();
        Assert.Single(_engine.Sessions.List("local"));

        _time.Advance(TimeSpan.FromSeconds(30)); // 70 s idle
        await _engine.Sessions.ReapIdleAsync();
        Assert.Empty(_engine.Sessions.List("local"));
    }

    [Fact]
    public async Task IdleExpiry_StopsTheEngine_RemovesTheFolder_AndTheNextCallSaysSo()
    {
        await _engine.RunAsync("x = 1;");
        var session = await _engine.SessionAsync();
        var pid = await _engine.EnginePidAsync();

        _time.Advance(TimeSpan.FromSeconds(61));
        await _engine.Sessions.ReapIdleAsync();

        Assert.False(Directory.Exists(session.Folder));
        Assert.True(ProcessGone(pid));
        var next = await _engine.RunAsync("disp(exist('x'))");
        Assert.Equal("0\n", next.Output);
        Assert.Contains("expired", next.Notice);
        Assert.Contains("sessions.idle_timeout", next.Notice);
    }

    [Fact]
    public async Task Limits_PerIdentityAndTotal_AreReportedWithWhatToDo()
    {
        await _engine.RunAsync("1;", session: "one");
        await _engine.RunAsync("1;", session: "two");

        var third = await _engine.RunAsync("1;", session: "three");
        Assert.Equal(ExecutionStatus.Rejected, third.Status);
        Assert.Contains("sessions.max_per_identity", third.Message);
        Assert.Contains("one, two", third.Message);

        await _engine.RunAsync("1;", identity: "other");
        var overTotal = await _engine.RunAsync("1;", identity: "yet-another");
        Assert.Contains("sessions.max_total", overTotal.Message);
    }

    [Fact]
    public async Task InvalidSessionName_IsRejected()
    {
        var outcome = await _engine.RunAsync("1;", session: "../etc");

        Assert.Equal(ExecutionStatus.Rejected, outcome.Status);
        Assert.Contains("Invalid session name", outcome.Message);
    }

    [Fact]
    public async Task Reset_ClearsVariables_KeepsFiles()
    {
        await _engine.RunAsync("x = 1; fid = fopen('kept.txt', 'w'); fclose(fid);");
        using (var lease = await _engine.Sessions.AcquireAsync("local", null, CancellationToken.None))
            await lease.Session.ResetAsync(lease, CancellationToken.None);

        var after = await _engine.RunAsync("disp(exist('x')); disp(exist('kept.txt', 'file'))");

        Assert.Equal("0\n2\n", after.Output);
    }

    [Fact]
    public async Task Close_StopsEngineAndRemovesFolder()
    {
        await _engine.RunAsync("x = 1;", session: "temp");
        var session = await _engine.SessionAsync("temp");
        var pid = await _engine.EnginePidAsync("temp");

        Assert.True(await _engine.Sessions.CloseAsync("local", "temp"));

        Assert.False(Directory.Exists(session.Folder));
        Assert.True(ProcessGone(pid));
        Assert.Equal(0, _engine.Pool.LiveEngines);
    }

    [Fact]
    public async Task HealthCheck_DeadEngineInIdleSession_IsReplacedOnNextCallWithNotice()
    {
        await _engine.RunAsync("x = 1;");
        var pid = await _engine.EnginePidAsync();
        System.Diagnostics.Process.GetProcessById(pid).Kill();

        await _engine.Sessions.CheckHealthAsync(CancellationToken.None);
        var next = await _engine.RunAsync("disp(1)");

        Assert.Equal("1\n", next.Output);
        Assert.Contains("restarted", next.Notice);
    }

    internal static bool ProcessGone(int pid, TimeSpan? within = null)
    {
        var tries = (int)((within ?? TimeSpan.FromSeconds(5)).TotalMilliseconds / 100);
        for (var i = 0; i < tries; i++)
        {
            if (!ProcessTree.Alive(pid))
                return true;
            Thread.Sleep(100);
        }
        return false;
    }
}
