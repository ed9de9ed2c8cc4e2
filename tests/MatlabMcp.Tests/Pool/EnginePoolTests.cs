using System.Diagnostics;
using MatlabMcp.Jobs;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>The elastic pool against real engines.</summary>
public sealed class EnginePoolTests
{
    [Fact]
    public async Task Busy_AllEnginesTaken_WaitsBoundedThenSaysServerBusy()
    {
        await using var engine = new EngineHarness(c => { c.Pool.MaxEngines = 1; c.Pool.AcquireTimeoutSeconds = 0.5; });
        await engine.RunAsync("1;", session: "holder");

        var started = Stopwatch.GetTimestamp();
        var outcome = await engine.RunAsync("1;", session: "newcomer");

        Assert.Equal(ExecutionStatus.Rejected, outcome.Status);
        Assert.Contains("Server busy", outcome.Message);
        Assert.Contains("pool.max_engines", outcome.Message);
        Assert.InRange(Stopwatch.GetElapsedTime(started).TotalSeconds, 0.4, 10);
    }

    [Fact]
    public async Task Busy_WaitingQueueFull_RejectsAtOnce()
    {
        await using var engine = new EngineHarness(c => { c.Pool.MaxEngines = 1; c.Pool.MaxWaiting = 0; c.Pool.AcquireTimeoutSeconds = 30; });
        await engine.RunAsync("1;", session: "holder");

        var started = Stopwatch.GetTimestamp();
        var outcome = await engine.RunAsync("1;", session: "newcomer");

        Assert.Contains("Server busy", outcome.Message);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Busy_WaiterGetsTheEngineWhenASessionCloses()
    {
        await using var engine = new EngineHarness(c => { c.Pool.MaxEngines = 1; c.Pool.AcquireTimeoutSeconds = 30; });
        await engine.RunAsync("1;", session: "holder");

        var waiting = engine.RunAsync("disp(2)", session: "newcomer");
        await Wait.UntilAsync(() => engine.Pool.Waiting > 0, "the newcomer to wait for a slot");
        await engine.Sessions.CloseAsync("local", "holder");

        Assert.Equal("2\n", (await waiting.WaitAsync(TimeSpan.FromSeconds(30))).Output);
    }

    [Fact]
    public async Task SessionBusy_SecondCallIsRefusedAtOnce_NamingTheJob()
    {
        await using var engine = new EngineHarness(c => c.Pool.AcquireTimeoutSeconds = 0.5);
        var running = engine.RunAsync("pause(3)");
        while ((await Task.WhenAny(running, Task.Delay(50))) != running && !engine.Sessions.List("local").Any(s => s.IsBusy))
        {
        }

        var second = await engine.RunAsync("disp(1)");

        Assert.Equal(ExecutionStatus.Rejected, second.Status);
        Assert.Contains("busy with job job-", second.Message); // names the job that holds the session
        Assert.Contains("cancel_job", second.Message);
        Assert.Equal(ExecutionStatus.Completed, (await running).Status);
    }

    [Fact]
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
                Assert.Equal(ExecutionStatus.Rejected, outcome.Status);
                Assert.DoesNotContain("Server busy", outcome.Message); // a leaked slot would turn into "busy"
            }
            Assert.Equal(0, engine.Pool.LiveEngines);

            engine.Config.Engine.Executable = "";
            Assert.Equal("1\n", (await engine.RunAsync("disp(1)")).Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task WarmSpare_IsHandedToANewSession()
    {
        await using var engine = new EngineHarness(c => { c.Pool.SpareEngines = 1; c.Pool.MinEngines = 1; });
        engine.Pool.EnsureSpares();
        await Wait.UntilAsync(() => engine.Pool.SpareCount > 0, "a warm spare");
        var live = engine.Pool.LiveEngines;

        var spare = Assert.Single(engine.Pool.SpareProcessIds);
        var outcome = await engine.RunAsync("fid = fopen('mine.txt', 'w'); fclose(fid);");

        Assert.Equal(ExecutionStatus.Completed, outcome.Status);
        Assert.Equal(spare, await engine.EnginePidAsync()); // the session got the warm spare
        Assert.True(File.Exists(Path.Combine((await engine.SessionAsync()).Folder, "mine.txt"))); // working in the session folder
        Assert.Equal(live + 1, engine.Pool.LiveEngines); // and a new spare is warming
    }

    [Fact]
    public async Task TakenSpare_IsReplacedAfterTheSessionsFirstAnswer_NotDuringIt()
    {
        await using var engine = new EngineHarness(c => { c.Pool.SpareEngines = 1; c.Pool.MinEngines = 0; });
        engine.Pool.ReplenishDelay = TimeSpan.FromMinutes(5); // only the first answer may trigger the replacement here
        engine.Pool.EnsureSpares();
        await Wait.UntilAsync(() => engine.Pool.SpareCount > 0, "a warm spare");

        var (job, _) = engine.Jobs.Start("local", "fresh", "pause(1); disp('done')", null);
        Assert.NotNull(job);
        await Wait.UntilAsync(() => job.Record.State == JobState.Running, "the first call to run");
        // An engine starting beside the first call slowed it from ~5 ms to 100-900 ms: nothing starts yet.
        Assert.Equal((0, 0), (engine.Pool.SpareCount, engine.Pool.StartingSpares));

        Assert.Equal("done\n", (await job.Completion).Output);
        Assert.Equal(1, engine.Pool.SpareCount + engine.Pool.StartingSpares);
    }

    [Fact]
    public async Task SpareHealth_DeadSpareIsDroppedAndItsSlotFreed()
    {
        await using var engine = new EngineHarness(c => { c.Pool.SpareEngines = 1; c.Pool.MinEngines = 0; });
        engine.Pool.EnsureSpares();
        await Wait.UntilAsync(() => engine.Pool.SpareCount > 0, "a warm spare");
        var spare = Assert.Single(engine.Pool.SpareProcessIds);

        Process.GetProcessById(spare).Kill();
        await Task.Delay(200);
        await engine.Pool.MaintainSparesAsync(CancellationToken.None);

        Assert.Equal(0, engine.Pool.SpareCount);
        Assert.Equal(0, engine.Pool.LiveEngines);
    }

    [Fact]
    public async Task SpareIdleTimeout_StopsSparesAboveTheMinimum()
    {
        var time = new ShiftedTime();
        await using var engine = new EngineHarness(c => { c.Pool.SpareEngines = 2; c.Pool.MinEngines = 1; c.Pool.SpareIdleTimeoutSeconds = 60; }, time);
        engine.Pool.EnsureSpares();
        await Wait.UntilAsync(() => engine.Pool.SpareCount >= 2, "two warm spares");

        await engine.Pool.MaintainSparesAsync(CancellationToken.None);
        Assert.Equal(2, engine.Pool.SpareCount); // not idle long enough yet

        time.Advance(TimeSpan.FromSeconds(61));
        await engine.Pool.MaintainSparesAsync(CancellationToken.None);
        Assert.Equal(1, engine.Pool.SpareCount); // down to pool.min_engines
    }
}
