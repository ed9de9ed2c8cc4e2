using System.Diagnostics;
using MatlabMcp.Jobs;
using MatlabMcp.Pool;
using MatlabMcp.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace MatlabMcp.Tests.Configuration;

/// <summary>The pool, sandbox and shutdown keys, each with an observable effect.</summary>
[Collection("sandbox")]
public sealed class PoolAndSandboxKeyTests
{
    [Fact]
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
        var spare = Assert.Single(engine.Pool.SpareProcessIds);
        Process.Start("kill", ["-STOP", spare.ToString()])!.WaitForExit();
        try
        {
            var started = Stopwatch.GetTimestamp();
            await engine.Pool.MaintainSparesAsync(CancellationToken.None);
            Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(3), "the check did not time out at pool.health_check_timeout");
            Assert.Equal(1, engine.Pool.SpareCount); // one failure: kept

            await engine.Pool.MaintainSparesAsync(CancellationToken.None);
            Assert.Equal(0, engine.Pool.SpareCount); // two in a row: replaced
        }
        finally
        {
            Process.Start("kill", ["-CONT", spare.ToString()])!.WaitForExit();
        }
    }

    [Fact]
    public async Task HealthCheckInterval_DrivesTheMaintenanceLoop()
    {
        await using var engine = new EngineHarness(c =>
        {
            c.Pool.SpareEngines = 1;
            c.Pool.MinEngines = 0;
            c.Pool.HealthCheckIntervalSeconds = 0.5;
        });
        using var maintenance = new PoolMaintenance(engine.Pool, engine.Sessions, engine.Config, TimeProvider.System,
            NullLogger<PoolMaintenance>.Instance);
        await maintenance.StartAsync(CancellationToken.None);
        await Wait.UntilAsync(() => engine.Pool.SpareCount > 0, "a warm spare");
        var spare = Assert.Single(engine.Pool.SpareProcessIds);

        Process.GetProcessById(spare).Kill(); // the next health check must notice and drop it
        var dropped = false;
        for (var i = 0; i < 100 && !dropped; i++)
        {
            await Task.Delay(50);
            dropped = !engine.Pool.SpareProcessIds.Contains(spare);
        }
        await maintenance.StopAsync(CancellationToken.None);

        Assert.True(dropped, "the dead spare was not dropped within a few health-check intervals");
    }

    [Fact]
    public async Task MaxFileSizeMb_StopsAWriteAtTheLimit()
    {
        await using var engine = new EngineHarness(c => { c.Sandbox.MaxFileSizeMb = 1; c.CodePolicy.Enabled = false; });

        var outcome = await engine.RunAsync(
            "[status, out] = system('head -c 3000000 /dev/zero > big.bin 2>&1; echo $?'); d = dir('big.bin'); disp(d.bytes > 0 && d.bytes <= 1048576)");

        Assert.Equal(ExecutionStatus.Completed, outcome.Status);
        Assert.Equal("1\n", outcome.Output);
    }

    [Fact]
    public async Task CpuSeconds_EndsAnEngineThatSpinsPastTheLimit()
    {
        await using var engine = new EngineHarness(c => c.Sandbox.CpuSeconds = 2);

        var outcome = await engine.RunAsync("while true, end", timeoutSeconds: 60);

        Assert.Equal(ExecutionStatus.EngineDied, outcome.Status);
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(30), $"took {outcome.Elapsed}");
        Assert.Equal("1\n", (await engine.RunAsync("disp(1)")).Output); // and the next call gets a fresh engine
    }
}
