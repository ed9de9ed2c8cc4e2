using System.Diagnostics;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Tests.Configuration;

/// <summary>The pool, sandbox and shutdown keys, each with an observable effect.</summary>
[NotInParallel] // frozen spares, CPU and file-size limits are timed: runs alone
public sealed class PoolAndSandboxKeyTests
{
    [Test]
    public async Task HealthFailuresToReplace_AndHealthCheckTimeout_ReplaceAHungSpareOnlyAfterThatManyFailures()
    {
        // Fault injection with a real engine: SIGSTOP freezes it, so pings time out.
        await using var engine = new EngineHarness(c =>
        {
            c.Pool.SpareEngines = 1;
            c.Pool.MinEngines = 0;
            c.Pool.HealthCheckTimeoutSeconds = 0.3;
            c.Pool.HealthFailuresToReplace = 2;
        });
        engine.Pool.EnsureSpares();
        await Wait.UntilAsync(() => engine.Pool.SpareCount > 0, "a warm spare");
        var spare = await Assert.That(HostProcesses.EnginesUnder(engine.Factory.Root)).HasSingleItem();
        Process.Start("kill", ["-STOP", spare.ToString()])!.WaitForExit();
        try
        {
            var started = Stopwatch.GetTimestamp();
            await engine.Pool.MaintainSparesAsync(CancellationToken.None);
            await Assert.That(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(3)).IsTrue().Because("the check did not time out at pool.health_check_timeout");
            await Assert.That(engine.Pool.SpareCount).IsEqualTo(1); // one failure: kept

            await engine.Pool.MaintainSparesAsync(CancellationToken.None);
            await Assert.That(engine.Pool.SpareCount).IsEqualTo(0); // two in a row: replaced
        }
        finally
        {
            Process.Start("kill", ["-CONT", spare.ToString()])!.WaitForExit();
        }
    }

    [Test]
    public async Task HealthCheckInterval_DrivesTheMaintenanceLoop()
    {
        await using var engine = new EngineHarness(c =>
        {
            c.Pool.SpareEngines = 1;
            c.Pool.MinEngines = 0;
            c.Pool.HealthCheckIntervalSeconds = 30;
        });
        // Only the loop's clock is fake (the engines keep real time): the health check comes when 30 s pass on it.
        var clock = new FakeClock();
        using var maintenance = new PoolMaintenance(engine.Pool, engine.Sessions, Options.Create(engine.Config.Pool), clock,
            NullLogger<PoolMaintenance>.Instance);
        await maintenance.StartAsync(CancellationToken.None);
        await clock.TimerCreated.WaitAsync(TimeSpan.FromSeconds(10));
        await Wait.UntilAsync(() => engine.Pool.SpareCount > 0, "a warm spare");
        var spare = await Assert.That(HostProcesses.EnginesUnder(engine.Factory.Root)).HasSingleItem();

        Process.GetProcessById(spare).Kill(); // the next health check must notice and drop it
        clock.Advance(TimeSpan.FromSeconds(30));
        // Nothing else drops a spare (pool.min_engines is 0, so none replaces it either): only the health check empties the pool.
        await Wait.UntilAsync(() => engine.Pool.SpareCount == 0, "the health check 30 s on to drop the dead spare", 10);

        await maintenance.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task MaxFileSizeMb_StopsAWriteAtTheLimit()
    {
        await using var engine = new EngineHarness(c => { c.Sandbox.MaxFileSizeMb = 1; c.CodePolicy.Enabled = false; });

        var outcome = await engine.RunAsync(
            "[status, out] = system('head -c 3000000 /dev/zero > big.bin 2>&1; echo $?'); d = dir('big.bin'); disp(d.bytes > 0 && d.bytes <= 1048576)");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Completed);
        await Assert.That(outcome.Output).IsEqualTo("1\n");
    }

    [Test]
    public async Task CpuSeconds_EndsAnEngineThatSpinsPastTheLimit()
    {
        await using var engine = new EngineHarness(c => c.Sandbox.CpuSeconds = 2);

        var outcome = await engine.RunAsync("while true, end", timeoutSeconds: 60);

        await Assert.That(outcome.Status).IsEqualTo(JobState.EngineDied);
        await Assert.That(outcome.Elapsed < TimeSpan.FromSeconds(30)).IsTrue().Because($"took {outcome.Elapsed}");
        await Assert.That((await engine.RunAsync("disp(1)")).Output).IsEqualTo("1\n"); // and the next call gets a fresh engine
    }
}
