using System.Diagnostics;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace MatlabMcp.Tests.Pool;

/// <summary>The elastic pool against real engines.</summary>
public sealed class EnginePoolTests
{
    [Test]
    public async Task Busy_AllEnginesTaken_WaitsBoundedThenSaysServerBusy()
    {
        await using var engine = new EngineHarness(c => { c.Pool.MaxEngines = 1; c.Pool.AcquireTimeoutSeconds = 0.5; });
        await engine.RunAsync("1;", session: "holder");

        var started = Stopwatch.GetTimestamp();
        var outcome = await engine.RunAsync("1;", session: "newcomer");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Rejected);
        await Assert.That(outcome.Message).Contains("Server busy");
        await Assert.That(outcome.Message).Contains("pool.max_engines");
        await Assert.That(Stopwatch.GetElapsedTime(started).TotalSeconds).IsBetween(0.4, 10).Inclusive();
    }

    [Test]
    public async Task Busy_WaitingQueueFull_RejectsAtOnce()
    {
        await using var engine = new EngineHarness(c => { c.Pool.MaxEngines = 1; c.Pool.MaxWaiting = 0; c.Pool.AcquireTimeoutSeconds = 30; });
        await engine.RunAsync("1;", session: "holder");

        var started = Stopwatch.GetTimestamp();
        var outcome = await engine.RunAsync("1;", session: "newcomer");

        await Assert.That(outcome.Message).Contains("Server busy");
        await Assert.That(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5)).IsTrue();
    }

    [Test]
    public async Task Busy_WaiterGetsTheEngineWhenASessionCloses()
    {
        await using var engine = new EngineHarness(c => { c.Pool.MaxEngines = 1; c.Pool.AcquireTimeoutSeconds = 30; });
        await engine.RunAsync("1;", session: "holder");

        var waiting = engine.RunAsync("disp(2)", session: "newcomer");
        await Wait.UntilAsync(() => engine.Pool.Waiting > 0, "the newcomer to wait for a slot");
        await engine.Sessions.CloseAsync("local", "holder");

        await Assert.That((await waiting.WaitAsync(TimeSpan.FromSeconds(30))).Output).IsEqualTo("2\n");
    }

    [Test]
    public async Task SessionBusy_SecondCallIsRefusedAtOnce_NamingTheJob()
    {
        await using var engine = new EngineHarness(c => c.Pool.AcquireTimeoutSeconds = 0.5);
        var running = engine.RunAsync("pause(3)");
        while ((await Task.WhenAny(running, Task.Delay(50))) != running && !engine.Sessions.List("local").Any(s => s.IsBusy))
        {
        }

        var second = await engine.RunAsync("disp(1)");

        await Assert.That(second.Status).IsEqualTo(JobState.Rejected);
        await Assert.That(second.Message).Contains("busy with job job-"); // names the job that holds the session
        await Assert.That(second.Message).Contains("cancel_job");
        await Assert.That((await running).Status).IsEqualTo(JobState.Completed);
    }

    [Test]
    public async Task FailedStarts_MoreThanMaxEngines_NeverLeakSlots()
    {
        // Fault injection: a stand-in engine that exits at once (a real Octave cannot be made to fail on demand).
        var folder = Executables.Folder("mcp-fail-");
        var failing = Path.Combine(folder, "octave-cli");
        File.WriteAllText(failing, "#!/bin/sh\nexit 1\n");
        File.SetUnixFileMode(failing, (UnixFileMode)0b111_101_101);
        try
        {
            await using var engine = new EngineHarness(c => { c.Pool.MaxEngines = 2; c.Engine.Executable = failing; c.Pool.AcquireTimeoutSeconds = 1; });
            for (var i = 0; i < 6; i++)
            {
                var outcome = await engine.RunAsync("1;");
                await Assert.That(outcome.Status).IsEqualTo(JobState.Rejected);
                await Assert.That(outcome.Message).DoesNotContain("Server busy"); // a leaked slot would turn into "busy"
            }
            await Assert.That(engine.Pool.LiveEngines).IsEqualTo(0);

            engine.Config.Engine.Executable = "";
            await Assert.That((await engine.RunAsync("disp(1)")).Output).IsEqualTo("1\n");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task WarmSpare_IsHandedToANewSession()
    {
        await using var engine = new EngineHarness(c => { c.Pool.SpareEngines = 1; c.Pool.MinEngines = 1; });
        engine.Pool.EnsureSpares();
        await Wait.UntilAsync(() => engine.Pool.SpareCount > 0, "a warm spare");
        var live = engine.Pool.LiveEngines;

        var spare = await Assert.That(HostProcesses.EnginesUnder(engine.Factory.Root)).HasSingleItem();
        var outcome = await engine.RunAsync("fid = fopen('mine.txt', 'w'); fclose(fid);");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Completed);
        await Assert.That(await engine.EnginePidAsync()).IsEqualTo(spare); // the session got the warm spare
        await Assert.That(File.Exists(Path.Combine((await engine.SessionAsync()).Folder, "mine.txt"))).IsTrue(); // working in the session folder
        await Assert.That(engine.Pool.LiveEngines).IsEqualTo(live + 1); // and a new spare is warming
    }

    [Test]
    public async Task TakenSpare_IsReplacedAfterTheSessionsFirstAnswer_NotDuringIt()
    {
        // Time that never moves: the pool's fallback delay never elapses, so only the first answer can start the
        // replacement. The engines need no timer to fire on the way (start-up and job timeouts merely never expire).
        await using var engine = new EngineHarness(c => { c.Pool.SpareEngines = 1; c.Pool.MinEngines = 0; }, new FakeTimeProvider());
        engine.Pool.EnsureSpares();
        await Wait.UntilAsync(() => engine.Pool.SpareCount > 0, "a warm spare");

        var (job, _) = engine.Jobs.Start("local", "fresh", "pause(1); disp('done')", null);
        Assert.NotNull(job);
        await Wait.UntilAsync(() => job.Record.State == JobState.Running, "the first call to run");
        // An engine starting beside the first call would slow it: only the session's own engine is live yet.
        await Assert.That(engine.Pool.LiveEngines).IsEqualTo(1);

        await Assert.That((await job.Completion).Output).IsEqualTo("done\n");
        await Assert.That(engine.Pool.LiveEngines).IsEqualTo(2); // the replacement, started or starting
    }

    [Test]
    public async Task SpareHealth_DeadSpareIsDroppedAndItsSlotFreed()
    {
        await using var engine = new EngineHarness(c => { c.Pool.SpareEngines = 1; c.Pool.MinEngines = 0; });
        engine.Pool.EnsureSpares();
        await Wait.UntilAsync(() => engine.Pool.SpareCount > 0, "a warm spare");
        var spare = await Assert.That(HostProcesses.EnginesUnder(engine.Factory.Root)).HasSingleItem();

        Process.GetProcessById(spare).Kill();
        await Wait.UntilAsync(() => !ProcessTree.Alive(spare), "the killed spare to die");
        await engine.Pool.MaintainSparesAsync(CancellationToken.None);

        await Assert.That(engine.Pool.SpareCount).IsEqualTo(0);
        await Assert.That(engine.Pool.LiveEngines).IsEqualTo(0);
    }

    [Test]
    public async Task SpareIdleTimeout_StopsSparesAboveTheMinimum()
    {
        var time = new ShiftedTime();
        await using var engine = new EngineHarness(c => { c.Pool.SpareEngines = 2; c.Pool.MinEngines = 1; c.Pool.SpareIdleTimeoutSeconds = 60; }, time);
        engine.Pool.EnsureSpares();
        await Wait.UntilAsync(() => engine.Pool.SpareCount >= 2, "two warm spares");

        await engine.Pool.MaintainSparesAsync(CancellationToken.None);
        await Assert.That(engine.Pool.SpareCount).IsEqualTo(2); // not idle long enough yet

        time.Advance(TimeSpan.FromSeconds(61));
        await engine.Pool.MaintainSparesAsync(CancellationToken.None);
        await Assert.That(engine.Pool.SpareCount).IsEqualTo(1); // down to pool.min_engines
    }
}
