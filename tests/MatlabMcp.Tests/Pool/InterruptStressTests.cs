using System.Diagnostics;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>
/// Many interrupts of every kind against one engine: busy loops, pause, calls that just finished, idle bridges.
/// Each must keep the engine and its workspace and leave the bridge in step. The default suite runs 200;
/// scripts/stress-interrupts.sh runs 2,000 beside two CPU burners (MCP_STRESS_INTERRUPTS, MCP_STRESS_REPORT).
/// </summary>
[NotInParallel] // hundreds of timed interrupts: runs alone
public sealed class InterruptStressTests : IAsyncDisposable
{
    private readonly EngineHarness _engine = new(c => c.Engine.InterruptGraceSeconds = 20); // generous: CI machines can be loaded

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Test]
    public async Task Interrupts_OfEveryKind_NeverLoseTheEngineOrDesynchroniseTheBridge()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("MCP_STRESS_INTERRUPTS"), out var n) ? n : 200;
        var pid = await _engine.EnginePidAsync();
        int lost = 0, desynchronised = 0, kept = 0, interrupted = 0, finishedFirst = 0;
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < count; i++)
        {
            await _engine.RunAsync($"v = {i};");
            var started = Stopwatch.GetTimestamp();
            var (keptWorkspace, wasInterrupted, message) = (i % 4) switch
            {
                0 => Outcome(await _engine.RunAsync("k = 0; while true, k = k + 1; end", timeoutSeconds: 0.01 + i % 7 * 0.01)),
                1 => Outcome(await _engine.RunAsync("pause(5)", timeoutSeconds: 0.01 + i % 5 * 0.01)),
                2 => Outcome(await _engine.RunAsync($"s = 0; for j = 1:{i % 9 * 2000}, s = s + j; end", timeoutSeconds: 0.001 + i % 9 * 0.002)),
                _ => await InterruptIdleAsync(i),
            };
            var took = Stopwatch.GetElapsedTime(started);
            slowest = took > slowest ? took : slowest;
            var after = await _engine.RunAsync("disp(v)");
            var samePid = await _engine.EnginePidAsync() == pid;
            if (!keptWorkspace || !samePid)
            {
                lost++;
                failures.Add($"call {i} (kind {i % 4}): lost — {message}");
                pid = await _engine.EnginePidAsync();
            }
            else if (after.Output != $"{i}\n")
            {
                desynchronised++;
                failures.Add($"call {i} (kind {i % 4}): expected {i}, read '{after.Output}' {after.Message}");
            }
            else
                kept++;
            if (wasInterrupted)
                interrupted++;
            else
                finishedFirst++;
        }
        var report = $"interrupts: {count}, lost: {lost}, desynchronised: {desynchronised}, workspace kept: {kept}, " +
            $"interrupted: {interrupted}, finished first: {finishedFirst}, total {clock.Elapsed.TotalSeconds:0.0} s, " +
            $"slowest {slowest.TotalMilliseconds:0} ms";
        TestContext.Current?.Output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("MCP_STRESS_REPORT") is { Length: > 0 } file)
            await File.WriteAllLinesAsync(file, [report, .. failures]);
        await Assert.That(failures.Count == 0).IsTrue().Because(report + "\n" + string.Join("\n", failures.Take(10)));
        await Assert.That(kept).IsEqualTo(count);
    }

    private static (bool Kept, bool Interrupted, string? Message) Outcome(ExecutionOutcome outcome) =>
        (outcome.WorkspaceKept && outcome.Status is JobState.Completed or JobState.TimedOut,
            outcome.Status == JobState.TimedOut, $"{outcome.Status}: {outcome.Message}");

    /// <summary>Interrupts an engine whose request already finished: the bridge is idle, waiting for a frame.</summary>
    private async Task<(bool Kept, bool Interrupted, string? Message)> InterruptIdleAsync(int i)
    {
        using var lease = await _engine.Sessions.AcquireAsync(CallerIdentity.Local, null, CancellationToken.None);
        var finished = lease.Engine.SendAsync(BridgeRequest.Eval, $"w = {i};");
        await finished;
        try
        {
            var result = await lease.Engine.InterruptAsync(finished);
            return (ReferenceEquals(result, await finished), false, "idle interrupt returned another response");
        }
        catch (EngineDiedException e)
        {
            lease.Engine.Kill();
            return (false, false, e.Message);
        }
    }
}
