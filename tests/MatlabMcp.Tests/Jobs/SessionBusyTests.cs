using MatlabMcp.Pool;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Jobs;

/// <summary>Issue 10, item 13, inside the server: a session held by a job answers at once; other holders are waited for.</summary>
public sealed class SessionBusyTests
{
    [Test]
    public async Task Acquire_WhileTheEngineStartsForAJob_SaysBusyAsSoonAsTheJobRuns()
    {
        // No spare: the job's lease starts the engine (seconds), then the job runs. A caller arriving during the start
        // waits for it (that is not a job), and is told "busy" once the job holds the session, not after the timeout.
        await using var engine = new EngineHarness(c => c.Pool.AcquireTimeoutSeconds = 120);
        var (job, _) = engine.Jobs.Start("local", null, "pause(60)", null);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var busy = (await Assert.ThrowsExactlyAsync<CapacityException>(() => engine.Sessions.AcquireAsync("local", null, CancellationToken.None)))!;

        await Assert.That(clock.Elapsed < TimeSpan.FromSeconds(60)).IsTrue().Because($"answered after {clock.Elapsed.TotalSeconds:0} s");
        await Assert.That(busy.Message).Contains(job!.Id);
        engine.Jobs.Cancel("local", job.Id);
        await job.Completion;
    }

    [Test]
    public async Task Acquire_WithAWait_BeyondMaxWaiting_IsRefusedAtOnce()
    {
        await using var engine = new EngineHarness(c => c.Pool.MaxWaiting = 1);
        var (job, _) = engine.Jobs.Start("local", null, "pause(60)", null);
        await JobManagerTests.WaitUntilRunningAsync(job!);

        var first = engine.Sessions.AcquireAsync("local", null, TimeSpan.FromSeconds(60), CancellationToken.None); // waits
        var second = (await Assert.ThrowsExactlyAsync<CapacityException>(() =>
            engine.Sessions.AcquireAsync("local", null, TimeSpan.FromSeconds(60), CancellationToken.None)))!;

        await Assert.That(second.Message).Contains("pool.max_waiting");
        await Assert.That(first.IsCompleted).IsFalse();
        engine.Jobs.Cancel("local", job!.Id);
        using var lease = await first.WaitAsync(TimeSpan.FromSeconds(60)); // the waiter gets it once the job stops
    }

    [Test]
    public async Task Acquire_WithAWait_GetsTheSessionWhenTheJobEnds()
    {
        await using var engine = new EngineHarness();
        var (job, _) = engine.Jobs.Start("local", null, "pause(1); done = 1;", null);
        await JobManagerTests.WaitUntilRunningAsync(job!);

        using var lease = await engine.Sessions.AcquireAsync("local", null, TimeSpan.FromSeconds(30), CancellationToken.None);

        // The job ran to its end before the lease came: its last assignment is in the workspace.
        var workspace = await lease.Engine.SendAsync(BridgeRequest.Workspace, maxVariables: 10);
        await Assert.That(workspace.Variables!).Contains(v => v.Name == "done");
    }
}
