using System.Diagnostics;
using MatlabMcp.Jobs;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>Time limits, cancellation and engine death against a real Octave.</summary>
public sealed class EngineInterruptTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new(c => c.Engine.InterruptGraceSeconds = 15); // generous: CI machines can be loaded

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Fact]
    public async Task TimeLimit_InfiniteLoop_InterruptsAndKeepsWorkspace()
    {
        await _engine.RunAsync("before = 7;");
        var pid = await _engine.EnginePidAsync();

        var outcome = await _engine.RunAsync("k = 0; while true, k = k + 1; end", timeoutSeconds: 1);

        Assert.Equal(ExecutionStatus.TimedOut, outcome.Status);
        Assert.True(outcome.WorkspaceKept);
        Assert.Contains("interrupted after", outcome.Message);
        Assert.Equal(pid, await _engine.EnginePidAsync());
        var after = await _engine.RunAsync("disp(before); disp(k > 0)");
        Assert.Equal("7\n1\n", after.Output);
    }

    [Fact]
    public async Task TimeLimit_AfterTheCodeResetThePath_StillInterruptsAndKeepsWorkspace()
    {
        await _engine.RunAsync("restoredefaultpath; kept = 9;");

        var outcome = await _engine.RunAsync("while true, end", timeoutSeconds: 1);
        var after = await _engine.RunAsync("disp(kept); answer = input('again? ');");

        Assert.Equal(ExecutionStatus.TimedOut, outcome.Status);
        Assert.True(outcome.WorkspaceKept, outcome.Message);
        Assert.Equal("9\n", after.Output);
        Assert.Equal("mcp:interactive", after.Error!.Identifier); // the shadows are back on the path too
    }

    [Fact]
    public async Task TimeLimit_AfterTheCodeChangedThePrompt_StillInterruptsAndRestoresThePrompt()
    {
        // The server types the bridge command when it sees its own prompt; a prompt changed by the code is not
        // recognised, so the line is typed unseen after a while, and the resume sets the server's prompt again.
        await _engine.RunAsync("PS1('>> '); kept = 4;");

        var first = await _engine.RunAsync("while true, end", timeoutSeconds: 0.5);
        var prompt = await _engine.RunAsync("p = PS1(); disp(double(p(1)))");

        Assert.True(first.WorkspaceKept, first.Message);
        Assert.Equal("30\n", prompt.Output); // the record separator that starts the server's prompt marker
        var second = await _engine.RunAsync("while true, end", timeoutSeconds: 0.5);
        Assert.True(second.WorkspaceKept, second.Message);
        Assert.Equal("4\n", (await _engine.RunAsync("disp(kept)")).Output);
    }

    [Fact]
    public async Task Cancel_DuringPause_InterruptsAndKeepsWorkspace()
    {
        await _engine.RunAsync("before = 8;");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var outcome = await _engine.RunAsync("pause(30)", cancellationToken: cancel.Token);

        Assert.Equal(ExecutionStatus.Cancelled, outcome.Status);
        Assert.True(outcome.WorkspaceKept);
        Assert.Equal("8\n", (await _engine.RunAsync("disp(before)")).Output);
    }

    [Fact]
    public async Task TimeLimit_RepeatedFastCalls_NeverDesynchroniseTheBridge()
    {
        // Interrupts that land just after a call finished must not leak into the next call.
        for (var i = 0; i < 15; i++)
        {
            await _engine.RunAsync($"v = {i};");
            var outcome = await _engine.RunAsync($"s = 0; for j = 1:{i * 2000}, s = s + j; end", timeoutSeconds: 0.001 + i * 0.002);
            Assert.True(outcome.Status is ExecutionStatus.Completed or ExecutionStatus.TimedOut, $"{outcome.Status}: {outcome.Message}");
            Assert.True(outcome.WorkspaceKept, $"call {i}: {outcome.Message}");
            Assert.Equal($"{i}\n", (await _engine.RunAsync("disp(v)")).Output);
        }
    }

    [Fact]
    public async Task Kill9_DuringCall_ReportsDeathThenNextCallGetsFreshEngine()
    {
        await _engine.RunAsync("lost_var = 1;");
        var pid = await _engine.EnginePidAsync();
        var running = _engine.RunAsync("while true, end", timeoutSeconds: 60);
        await Task.Delay(300);

        Process.GetProcessById(pid).Kill();
        var outcome = await running.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ExecutionStatus.EngineDied, outcome.Status);
        Assert.False(outcome.WorkspaceKept);
        Assert.Contains("killed by signal 9", outcome.Message);
        var next = await _engine.RunAsync("disp(exist('lost_var'))");
        Assert.Equal(ExecutionStatus.Completed, next.Status);
        Assert.Equal("0\n", next.Output);
        Assert.Contains("restarted", next.Notice);
        Assert.NotEqual(pid, await _engine.EnginePidAsync());
    }

    [Fact]
    public async Task Exit_InUserCode_ReportsDeathThenFreshEngine()
    {
        var outcome = await _engine.RunAsync("exit(3)");

        Assert.Equal(ExecutionStatus.EngineDied, outcome.Status);
        Assert.Contains("exited with code 3", outcome.Message);
        Assert.Equal("1\n", (await _engine.RunAsync("disp(1)")).Output);
    }
}

/// <summary>An engine stuck where SIGINT cannot reach it is killed and replaced.</summary>
public sealed class EngineEscalationTests : IAsyncLifetime
{
    // system() is blocked by the default code policy; this test needs it as a wait SIGINT cannot break.
    private readonly EngineHarness _engine = new(c =>
    {
        c.Engine.InterruptGraceSeconds = 0.5;
        c.CodePolicy.AllowedFunctions = ["system"];
    });

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Fact]
    public async Task TimeLimit_UninterruptibleCall_KillsEngineAndSaysWorkspaceLost()
    {
        // Octave defers SIGINT until system() returns, like a long BLAS call: a real uninterruptible wait.
        await _engine.RunAsync("x = 1;");
        var pid = await _engine.EnginePidAsync();

        var outcome = await _engine.RunAsync("system('sleep 30');", timeoutSeconds: 0.5);

        Assert.Equal(ExecutionStatus.TimedOut, outcome.Status);
        Assert.False(outcome.WorkspaceKept);
        Assert.Contains("workspace was lost", outcome.Message);
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(10), $"took {outcome.Elapsed}");
        var next = await _engine.RunAsync("disp(exist('x'))");
        Assert.Equal("0\n", next.Output);
        Assert.NotEqual(pid, await _engine.EnginePidAsync());
    }
}

/// <summary>The race where the interrupt lands after the request already finished.</summary>
public sealed class EngineInterruptRaceTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new(c => c.Engine.InterruptGraceSeconds = 10);

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Fact]
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

                Assert.Same(await finished, result);
                var next = await lease.Engine.EvalAsync("disp(q)", new MatlabMcp.Pool.OutputSink(1000)).WaitAsync(TimeSpan.FromSeconds(10));
                Assert.Equal($"{i}\n", next.Output);
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
public sealed class EngineInterruptFramingTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new(c => c.Engine.InterruptGraceSeconds = 10);

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Fact]
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
            Assert.Contains(next.Output, new[] { $"{i}\n", $"{i - 1}\n" }); // it ran, or the interrupt came first
            if (next.Output != $"{i}\n")
                await lease.Engine.EvalAsync($"q = {i};", new MatlabMcp.Pool.OutputSink(1000));
        }
    }
}
