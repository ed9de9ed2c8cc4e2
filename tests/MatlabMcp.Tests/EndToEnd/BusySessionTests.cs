using System.Diagnostics;
using System.Text.RegularExpressions;
using MatlabMcp.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>
/// Issue 10, item 13: a call on a session that is running a job says so at once, naming the job, instead of waiting
/// out pool.acquire_timeout; wait_seconds asks to wait. execute_code names its job in its first progress notification.
/// </summary>
public sealed partial class BusySessionTests
{
    private const string Forever = "while true, pause(0.05); end";

    [GeneratedRegex("job-[0-9a-f]{12}")]
    private static partial Regex JobId();

    [Test]
    public async Task GetWorkspaceAndResetAndExecute_OnASessionRunningAJob_SayBusyAtOnce_NamingTheJob()
    {
        await using var server = await ConfiguredServer.StartAsync(("execution__sync_timeout", "0.3"), ("pool__acquire_timeout", "60"));
        var jobId = ConfiguredServer.Structured(await server.CallAsync("execute_code", ("code", Forever)), "job_id")!;

        foreach (var (tool, arguments) in new (string, (string, object?)[])[]
                 {
                     ("get_workspace", []), ("reset_session", []), ("execute_code", [("code", "disp(1)")]),
                 })
        {
            var clock = Stopwatch.StartNew();
            var answer = await server.CallAsync(tool, arguments);

            await Assert.That(clock.Elapsed < TimeSpan.FromSeconds(15)).IsTrue().Because($"{tool} took {clock.Elapsed.TotalSeconds:0.0} s (pool.acquire_timeout is 60 s)");
            await Assert.That(answer.IsError).IsTrue().Because(tool);
            var text = ConfiguredServer.Text(answer);
            await Assert.That(text).Contains(jobId);
            await Assert.That(text).Contains("cancel_job");
            await Assert.That(text).Contains("wait_seconds");
        }
        await Assert.That((await server.CallAsync("cancel_job", ("job_id", jobId))).IsError).IsNotEqualTo(true);
    }

    [Test]
    public async Task WaitSeconds_WaitsForTheRunningJob_ThenAnswers()
    {
        await using var server = await ConfiguredServer.StartAsync(("execution__sync_timeout", "0.3"));
        var jobId = ConfiguredServer.Structured(await server.CallAsync("execute_code", ("code", "pause(1.5); late = 1;")), "job_id")!;

        var workspace = await server.CallAsync("get_workspace", ("wait_seconds", 30));
        var queued = await server.CallAsync("execute_code", ("code", "disp(late + 1)"), ("wait_seconds", 30));
        var queuedResult = ConfiguredServer.Structured(queued, "job_id") is { } queuedJob && ConfiguredServer.Structured(queued, "status") == "running"
            ? await server.CallAsync("get_job_result", ("job_id", queuedJob), ("wait_seconds", 30))
            : queued; // on a loaded machine the queued call may outlast its own sync window

        await Assert.That(workspace.IsError).IsNotEqualTo(true);
        await Assert.That(ConfiguredServer.Text(workspace)).Contains("late");
        await Assert.That(ConfiguredServer.Text(queuedResult)).IsEqualTo("2");
        await Assert.That(ConfiguredServer.Structured(await server.CallAsync("get_job_status", ("job_id", jobId)), "state")).IsEqualTo("completed");
    }

    [Test]
    public async Task ExecuteCode_FirstProgressNotification_NamesTheJob_SoItCanBeCancelledWithinTheSyncWindow()
    {
        await using var server = await ConfiguredServer.StartAsync(("execution__sync_timeout", "120"), ("execution__heartbeat_interval", "120"));
        await server.CallAsync("execute_code", ("code", "1;")); // a warm engine
        var first = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = server.Client.CallToolAsync("execute_code", ServerProcess.Args(("code", Forever)),
            new InlineProgress(value => first.TrySetResult(value.Message ?? ""))).AsTask();
        var message = await first.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var jobId = JobId().Match(message).Value;
        await Assert.That(string.IsNullOrEmpty(jobId)).IsFalse().Because($"the first progress message names no job: {message}");
        await Assert.That(call.IsCompleted).IsFalse();
        var cancelled = await server.CallAsync("cancel_job", ("job_id", jobId));
        var result = await call.WaitAsync(TimeSpan.FromSeconds(60)); // long before the 120 s sync window ends

        await Assert.That(cancelled.IsError).IsNotEqualTo(true);
        await Assert.That(ConfiguredServer.Structured(result, "status")).IsEqualTo("cancelled");
        await Assert.That(ConfiguredServer.Structured(result, "job_id")).IsEqualTo(jobId);
    }
}
