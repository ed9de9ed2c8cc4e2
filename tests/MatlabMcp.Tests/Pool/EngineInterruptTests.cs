using System.Diagnostics;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>Time limits, cancellation and engine death against a real Octave.</summary>
[NotInParallel] // interrupts and their grace periods are timed: runs alone
public sealed class EngineInterruptTests : IAsyncDisposable
{
    private readonly EngineHarness _engine = new(c => c.Engine.InterruptGraceSeconds = 15); // generous: CI machines can be loaded

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Test]
    public async Task TimeLimit_InfiniteLoop_InterruptsAndKeepsWorkspace()
    {
        await _engine.RunAsync("before = 7;");
        var pid = await _engine.EnginePidAsync();

        var outcome = await _engine.RunAsync("k = 0; while true, k = k + 1; end", timeoutSeconds: 1);

        await Assert.That(outcome.Status).IsEqualTo(JobState.TimedOut);
        await Assert.That(outcome.WorkspaceKept).IsTrue();
        await Assert.That(outcome.Message).Contains("interrupted after");
        await Assert.That(await _engine.EnginePidAsync()).IsEqualTo(pid);
        var after = await _engine.RunAsync("disp(before); disp(k > 0)");
        await Assert.That(after.Output).IsEqualTo("7\n1\n");
    }

    [Test]
    public async Task TimeLimit_AfterTheCodeResetThePath_StillInterruptsAndKeepsWorkspace()
    {
        await _engine.RunAsync("restoredefaultpath; kept = 9;");

        var outcome = await _engine.RunAsync("while true, end", timeoutSeconds: 1);
        var after = await _engine.RunAsync("disp(kept); answer = input('again? ');");

        await Assert.That(outcome.Status).IsEqualTo(JobState.TimedOut);
        await Assert.That(outcome.WorkspaceKept).IsTrue().Because(outcome.Message ?? "");
        await Assert.That(after.Output).IsEqualTo("9\n");
        await Assert.That(after.Error!.Identifier).IsEqualTo("mcp:interactive"); // the shadows are back on the path too
    }

    [Test]
    public async Task TimeLimit_AfterTheCodeChangedThePrompt_StillInterruptsAndRestoresThePrompt()
    {
        // The server types the bridge command when it sees its own prompt; a prompt changed by the code is not
        // recognised, so the line is typed unseen after a while, and the resume sets the server's prompt again.
        await _engine.RunAsync("PS1('>> '); kept = 4;");

        var first = await _engine.RunAsync("while true, end", timeoutSeconds: 0.5);
        var prompt = await _engine.RunAsync("p = PS1(); disp(double(p(1)))");

        await Assert.That(first.WorkspaceKept).IsTrue().Because(first.Message ?? "");
        await Assert.That(prompt.Output).IsEqualTo("30\n"); // the record separator that starts the server's prompt marker
        var second = await _engine.RunAsync("while true, end", timeoutSeconds: 0.5);
        await Assert.That(second.WorkspaceKept).IsTrue().Because(second.Message ?? "");
        await Assert.That((await _engine.RunAsync("disp(kept)")).Output).IsEqualTo("4\n");
    }

    [Test]
    public async Task Cancel_DuringPause_InterruptsAndKeepsWorkspace()
    {
        await _engine.RunAsync("before = 8;");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var outcome = await _engine.RunAsync("pause(30)", cancellationToken: cancel.Token);

        await Assert.That(outcome.Status).IsEqualTo(JobState.Cancelled);
        await Assert.That(outcome.WorkspaceKept).IsTrue();
        await Assert.That((await _engine.RunAsync("disp(before)")).Output).IsEqualTo("8\n");
    }

    [Test]
    public async Task TimeLimit_RepeatedFastCalls_NeverDesynchroniseTheBridge()
    {
        // Interrupts that land just after a call finished must not leak into the next call.
        for (var i = 0; i < 15; i++)
        {
            await _engine.RunAsync($"v = {i};");
            var outcome = await _engine.RunAsync($"s = 0; for j = 1:{i * 2000}, s = s + j; end", timeoutSeconds: 0.001 + i * 0.002);
            await Assert.That(outcome.Status is JobState.Completed or JobState.TimedOut).IsTrue().Because($"{outcome.Status}: {outcome.Message}");
            await Assert.That(outcome.WorkspaceKept).IsTrue().Because($"call {i}: {outcome.Message}");
            await Assert.That((await _engine.RunAsync("disp(v)")).Output).IsEqualTo($"{i}\n");
        }
    }

    [Test]
    public async Task Kill9_DuringCall_ReportsDeathThenNextCallGetsFreshEngine()
    {
        await _engine.RunAsync("lost_var = 1;");
        var pid = await _engine.EnginePidAsync();
        var (job, _) = _engine.Jobs.Start("local", null, "while true, end", 60);
        await job!.Output.Begun.WaitAsync(TimeSpan.FromSeconds(30)); // the engine is in the loop

        Process.GetProcessById(pid).Kill();
        var outcome = await job.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        await Assert.That(outcome.Status).IsEqualTo(JobState.EngineDied);
        await Assert.That(outcome.WorkspaceKept).IsFalse();
        await Assert.That(outcome.Message).Contains("killed by signal 9");
        var next = await _engine.RunAsync("disp(exist('lost_var'))");
        await Assert.That(next.Status).IsEqualTo(JobState.Completed);
        await Assert.That(next.Output).IsEqualTo("0\n");
        await Assert.That(next.Notice).Contains("restarted");
        await Assert.That(await _engine.EnginePidAsync()).IsNotEqualTo(pid);
    }

    [Test]
    public async Task Exit_InUserCode_ReportsDeathThenFreshEngine()
    {
        var outcome = await _engine.RunAsync("exit(3)");

        await Assert.That(outcome.Status).IsEqualTo(JobState.EngineDied);
        await Assert.That(outcome.Message).Contains("exited with code 3");
        await Assert.That((await _engine.RunAsync("disp(1)")).Output).IsEqualTo("1\n");
    }
}

/// <summary>An engine stuck where SIGINT cannot reach it is killed and replaced.</summary>
[NotInParallel] // interrupts and their grace periods are timed: runs alone
public sealed class EngineEscalationTests : IAsyncDisposable
{
    // system() is blocked by the default code policy; this test needs it as a wait SIGINT cannot break.
    private readonly EngineHarness _engine = new(c =>
    {
        c.Engine.InterruptGraceSeconds = 0.5;
        c.CodePolicy.AllowedFunctions = ["system"];
    });

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Test]
    public async Task TimeLimit_UninterruptibleCall_KillsEngineAndSaysWorkspaceLost()
    {
        // Octave defers SIGINT until system() returns, like a long BLAS call: a real uninterruptible wait.
        await _engine.RunAsync("x = 1;");
        var pid = await _engine.EnginePidAsync();

        var outcome = await _engine.RunAsync("system('sleep 30');", timeoutSeconds: 0.5);

        await Assert.That(outcome.Status).IsEqualTo(JobState.TimedOut);
        await Assert.That(outcome.WorkspaceKept).IsFalse();
        await Assert.That(outcome.Message).Contains("workspace was lost");
        await Assert.That(outcome.Elapsed < TimeSpan.FromSeconds(10)).IsTrue().Because($"took {outcome.Elapsed}");
        var next = await _engine.RunAsync("disp(exist('x'))");
        await Assert.That(next.Output).IsEqualTo("0\n");
        await Assert.That(await _engine.EnginePidAsync()).IsNotEqualTo(pid);
    }
}

/// <summary>The race where the interrupt lands after the request already finished.</summary>
[NotInParallel] // interrupts and their grace periods are timed: runs alone
public sealed class EngineInterruptRaceTests : IAsyncDisposable
{
    private readonly EngineHarness _engine = new(c => c.Engine.InterruptGraceSeconds = 10);

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Test]
    public async Task Interrupt_AfterRequestFinished_UnderCpuLoad_LeavesNoStrayInterrupt()
    {
        // Octave sets its interrupt flag from a signal thread; with the CPU busy the flag can arrive late,
        // after the bridge went idle. The next request must still run to completion.
        var spinners = Enumerable.Range(0, 2)
            .Select(_ => Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]))!).ToList();
        try
        {
            using var lease = await _engine.Sessions.AcquireAsync("local", null, CancellationToken.None);
            for (var i = 0; i < 25; i++)
            {
                var finished = lease.Engine.SendAsync(MatlabMcp.Pool.BridgeRequest.Eval, $"q = {i};");
                await finished;

                var result = await lease.Engine.InterruptAsync(finished);

                await Assert.That(result).IsSameReferenceAs(await finished);
                var next = await lease.Engine.EvalAsync("disp(q)", new MatlabMcp.Pool.OutputSink(1000)).WaitAsync(TimeSpan.FromSeconds(10));
                await Assert.That(next.Output).IsEqualTo($"{i}\n");
            }
        }
        finally
        {
            foreach (var spinner in spinners)
            {
                spinner.Kill();
                spinner.Dispose();
            }
        }
    }
}

/// <summary>An interrupt must never split the request frame the bridge is still reading.</summary>
[NotInParallel] // interrupts and their grace periods are timed: runs alone
public sealed class EngineInterruptFramingTests : IAsyncDisposable
{
    private readonly EngineHarness _engine = new(c => c.Engine.InterruptGraceSeconds = 10);

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Test]
    public async Task Interrupt_WhileTheBridgeStillReadsALargeRequest_KeepsTheBridgeInStep()
    {
        // A 300 KB request is still being read (in pipe-sized chunks, with statements between them) when the write
        // returns. A signal sent then used to unwind the bridge between the frame's length and the end of its body;
        // the resumed bridge read the rest of the body as the next length and never answered again.
        using var lease = await _engine.Sessions.AcquireAsync("local", null, CancellationToken.None);
        var padding = new string('x', 300_000);
        await lease.Engine.EvalAsync("q = 0;", new MatlabMcp.Pool.OutputSink(1000)); // what an interrupt before the first request leaves
        for (var i = 1; i <= 8; i++)
        {
            var inFlight = lease.Engine.EvalAsync($"q = {i}; % {padding}", new MatlabMcp.Pool.OutputSink(1000));

            await lease.Engine.InterruptAsync(inFlight).WaitAsync(TimeSpan.FromSeconds(30));

            var next = await lease.Engine.EvalAsync("disp(q)", new MatlabMcp.Pool.OutputSink(1000)).WaitAsync(TimeSpan.FromSeconds(10));
            await Assert.That(new[] { $"{i}\n", $"{i - 1}\n" }).Contains(next.Output!); // it ran, or the interrupt came first
            if (next.Output != $"{i}\n")
                await lease.Engine.EvalAsync($"q = {i};", new MatlabMcp.Pool.OutputSink(1000));
        }
    }
}
