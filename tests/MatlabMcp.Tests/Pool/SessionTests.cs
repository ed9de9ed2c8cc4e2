using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>Named sessions, identities and idle expiry against real engines.</summary>
public sealed class SessionTests : IAsyncDisposable
{
    private readonly ShiftedTime _time = new();
    private readonly EngineHarness _engine;

    public SessionTests() => _engine = new EngineHarness(c =>
    {
        c.Sessions.IdleTimeoutSeconds = 60;
        c.Sessions.MaxPerIdentity = 2;
        c.Sessions.MaxTotal = 3;
    }, _time);

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Test]
    public async Task Session_ByName_KeepsItsOwnWorkspace()
    {
        await _engine.RunAsync("x = 1;", session: "alpha");
        await _engine.RunAsync("x = 2;", session: "beta");

        await Assert.That((await _engine.RunAsync("disp(x)", session: "alpha")).Output).IsEqualTo("1\n");
        await Assert.That((await _engine.RunAsync("disp(x)", session: "beta")).Output).IsEqualTo("2\n");
        await Assert.That(await _engine.EnginePidAsync("beta")).IsNotEqualTo(await _engine.EnginePidAsync("alpha"));
    }

    [Test]
    public async Task Identities_WithTheSameSessionName_NeverShareWorkspaceFilesOrControl()
    {
        await _engine.RunAsync("secret = 42; fid = fopen('secret.txt', 'w'); fprintf(fid, 'a'); fclose(fid);", identity: "alice");

        var bob = await _engine.RunAsync("disp(exist('secret')); disp(exist('secret.txt', 'file'))", identity: "bob");

        await Assert.That(bob.Output).IsEqualTo("0\n0\n");
        await Assert.That(_engine.Sessions.List("bob")).DoesNotContain(s => s.Identity == "alice");
        await Assert.That(_engine.Sessions.List("alice")).HasSingleItem();
        await Assert.That(await _engine.Sessions.CloseAsync("bob", "nonexistent")).IsFalse();
        await _engine.Sessions.CloseAsync("bob", "main");
        await Assert.That((await _engine.RunAsync("disp(secret)", identity: "alice")).Output).IsEqualTo("42\n");
        await Assert.That((await _engine.SessionAsync(identity: "bob")).Folder).IsNotEqualTo((await _engine.SessionAsync(identity: "alice")).Folder);
    }

    [Test]
    public async Task IdleExpiry_CountsFromLastActivity_NotCreation()
    {
        await _engine.RunAsync("x = 1;");
        _time.Advance(TimeSpan.FromSeconds(40));
        await _engine.Sessions.ReapIdleAsync();
        await _engine.RunAsync("y = 2;"); // activity at t = 40 s

        _time.Advance(TimeSpan.FromSeconds(40)); // 80 s after creation, 40 s after the last activity
        await _engine.Sessions.ReapIdleAsync();
        await Assert.That(_engine.Sessions.List("local")).HasSingleItem();

        _time.Advance(TimeSpan.FromSeconds(30)); // 70 s idle
        await _engine.Sessions.ReapIdleAsync();
        await Assert.That(_engine.Sessions.List("local")).IsEmpty();
    }

    [Test]
    public async Task IdleExpiry_StopsTheEngine_RemovesTheFolder_AndTheNextCallSaysSo()
    {
        await _engine.RunAsync("x = 1;");
        var session = await _engine.SessionAsync();
        var pid = await _engine.EnginePidAsync();

        _time.Advance(TimeSpan.FromSeconds(61));
        await _engine.Sessions.ReapIdleAsync();

        await Assert.That(Directory.Exists(session.Folder)).IsFalse();
        await Assert.That(ProcessGone(pid)).IsTrue();
        var next = await _engine.RunAsync("disp(exist('x'))");
        await Assert.That(next.Output).IsEqualTo("0\n");
        await Assert.That(next.Notice).Contains("expired");
        await Assert.That(next.Notice).Contains("sessions.idle_timeout");
    }

    [Test]
    public async Task Limits_PerIdentityAndTotal_AreReportedWithWhatToDo()
    {
        await _engine.RunAsync("1;", session: "one");
        await _engine.RunAsync("1;", session: "two");

        var third = await _engine.RunAsync("1;", session: "three");
        await Assert.That(third.Status).IsEqualTo(JobState.Rejected);
        await Assert.That(third.Message).Contains("sessions.max_per_identity");
        await Assert.That(third.Message).Contains("one, two");

        await _engine.RunAsync("1;", identity: "other");
        var overTotal = await _engine.RunAsync("1;", identity: "yet-another");
        await Assert.That(overTotal.Message).Contains("sessions.max_total");
    }

    [Test]
    public async Task InvalidSessionName_IsRejected()
    {
        var outcome = await _engine.RunAsync("1;", session: "../etc");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Rejected);
        await Assert.That(outcome.Message).Contains("Invalid session name");
    }

    [Test]
    public async Task Reset_ClearsVariables_KeepsFiles()
    {
        await _engine.RunAsync("x = 1; fid = fopen('kept.txt', 'w'); fclose(fid);");
        using (var lease = await _engine.Sessions.AcquireAsync("local", null, CancellationToken.None))
            await lease.Session.ResetAsync(lease, CancellationToken.None);

        var after = await _engine.RunAsync("disp(exist('x')); disp(exist('kept.txt', 'file'))");

        await Assert.That(after.Output).IsEqualTo("0\n2\n");
    }

    [Test]
    public async Task Close_StopsEngineAndRemovesFolder()
    {
        await _engine.RunAsync("x = 1;", session: "temp");
        var session = await _engine.SessionAsync("temp");
        var pid = await _engine.EnginePidAsync("temp");

        await Assert.That(await _engine.Sessions.CloseAsync("local", "temp")).IsTrue();

        await Assert.That(Directory.Exists(session.Folder)).IsFalse();
        await Assert.That(ProcessGone(pid)).IsTrue();
        await Assert.That(_engine.Pool.LiveEngines).IsEqualTo(0);
    }

    [Test]
    public async Task HealthCheck_DeadEngineInIdleSession_IsReplacedOnNextCallWithNotice()
    {
        await _engine.RunAsync("x = 1;");
        var pid = await _engine.EnginePidAsync();
        System.Diagnostics.Process.GetProcessById(pid).Kill();

        await _engine.Sessions.CheckHealthAsync(CancellationToken.None);
        var next = await _engine.RunAsync("disp(1)");

        await Assert.That(next.Output).IsEqualTo("1\n");
        await Assert.That(next.Notice).Contains("restarted");
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
