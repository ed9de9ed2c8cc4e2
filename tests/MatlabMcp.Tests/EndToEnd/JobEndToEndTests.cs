using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MatlabMcp.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>Sync-then-async execution, progress and streaming through the real server and SDK client.</summary>
public sealed class JobEndToEndTests
{
    private static Task<McpClient> ConnectAsync(double syncTimeout, string? database = null) =>
        ServerProcess.ConnectStdioAsync(environment: new Dictionary<string, string?>
        {
            ["MATLAB_MCP_EXECUTION__SYNC_TIMEOUT"] = syncTimeout.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MATLAB_MCP_EXECUTION__HEARTBEAT_INTERVAL"] = "0.3",
            ["MATLAB_MCP_JOBS__DATABASE"] = database,
        }.Where(e => e.Value is not null).ToDictionary());

    private static string Text(CallToolResult result) => StdioServerTests.Text(result);

    [Test]
    public async Task LongCode_IsPromotedToAJob_ThenItsResultIsRetrieved()
    {
        await using var client = await ConnectAsync(syncTimeout: 0.5);

        var started = await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "pause(2); disp('slow result')")));

        await Assert.That(started.IsError).IsNotEqualTo(true);
        var structured = started.StructuredContent!.Value;
        await Assert.That(structured.GetProperty("status").GetString()).IsEqualTo("running");
        var jobId = structured.GetProperty("job_id").GetString()!;
        await Assert.That(Text(started)).Contains(jobId);
        var status = await client.CallToolAsync("get_job_status", ServerProcess.Args(("job_id", jobId)));
        await Assert.That(new[] { "queued", "running" }).Contains(status.StructuredContent!.Value.GetProperty("state").GetString()!); // queued while its engine starts
        var notYet = await client.CallToolAsync("get_job_result", ServerProcess.Args(("job_id", jobId)));
        await Assert.That(Text(notYet)).Matches("is still (queued|running)");

        var result = await client.CallToolAsync("get_job_result", ServerProcess.Args(("job_id", jobId), ("wait_seconds", 20)));

        await Assert.That(result.IsError).IsNotEqualTo(true);
        await Assert.That(Text(result)).IsEqualTo("slow result");
        var list = await client.CallToolAsync("list_jobs", new Dictionary<string, object?>());
        await Assert.That(Text(list)).Contains(jobId);
    }

    [Test]
    public async Task Progress_HeartbeatsAndMcpProgressValues_ReachTheClient()
    {
        await using var client = await ConnectAsync(syncTimeout: 30);
        await using var recorder = new ProgressRecorder(client);
        var reports = recorder.Reports;

        var result = await client.CallToolAsync("execute_code",
            ServerProcess.Args(("code", "pause(1); mcp_progress(0.5, 'half way'); pause(1); mcp_progress(90, 'nearly'); pause(0.5);")),
            ProgressRecorder.Token);

        await Assert.That(result.IsError).IsNotEqualTo(true);
        for (var i = 0; i < 50 && !reports.Any(r => r.Message?.Contains("nearly") == true); i++)
            await Task.Delay(100); // handlers run concurrently with the reading of the response
        var all = reports.ToList();
        await Assert.That(all).Contains(r => r.Total is null && r.Message!.StartsWith("running", StringComparison.Ordinal)); // heartbeat
        await Assert.That(all).Contains(r => r.Total == 100 && Math.Abs(r.Progress - 50) < 0.01 && r.Message!.Contains("half way"));
        await Assert.That(all).Contains(r => r.Total == 100 && Math.Abs(r.Progress - 90) < 0.01 && r.Message!.Contains("nearly"));
    }

    [Test]
    public async Task Progress_ReportedBeforeTheRelayStarted_ReachesTheClientWhileTheCodeRuns()
    {
        await using var client = await ConnectAsync(syncTimeout: 30);
        await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "1;"))); // a warm engine: the report comes at once
        long? reportedAt = null;

        // Reported within a millisecond, before the call's relay starts (calls under 50 ms get none). It must
        // not wait for a heartbeat or ride with the result (which the SDK client may then drop).
        await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "mcp_progress(0.3, 'at once'); pause(1.5);")),
            new InlineProgress(value => { if (value.Message?.Contains("at once") == true) reportedAt ??= Stopwatch.GetTimestamp(); }));
        var resultAt = Stopwatch.GetTimestamp();

        await Assert.That(reportedAt).IsNotNull();
        await Assert.That(Stopwatch.GetElapsedTime(reportedAt.Value, resultAt) > TimeSpan.FromSeconds(0.8)).IsTrue().Because($"the progress came only {Stopwatch.GetElapsedTime(reportedAt.Value, resultAt).TotalMilliseconds:0} ms before the result");
    }

    [Test]
    public async Task Output_PrintedEarly_ReachesTheClientBeforeTheJobEnds()
    {
        await using var client = await ConnectAsync(syncTimeout: 30);
        await StreamedOutput.AssertEarlyLineArrivesBeforeTheEndAsync(client);
    }

    [Test]
    public async Task CancelJob_KeepsTheWorkspace_AndTheEngineServesTheNextCall()
    {
        await using var client = await ConnectAsync(syncTimeout: 0.3);
        await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "kept = 5;")));
        // On a loaded machine the first call can outlast the 0.3 s sync window; a busy session answers at once, so queue.
        var started = await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "for k = 1:1e9, counter = k; end"), ("wait_seconds", 60)));
        var jobId = started.StructuredContent!.Value.GetProperty("job_id").GetString();

        var cancelled = await client.CallToolAsync("cancel_job", ServerProcess.Args(("job_id", jobId)));

        await Assert.That(cancelled.StructuredContent!.Value.GetProperty("status").GetString()).IsEqualTo("cancelled");
        await Assert.That(cancelled.StructuredContent.Value.GetProperty("workspace_kept").GetBoolean()).IsTrue();
        await Assert.That(Text(await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(kept); disp(counter > 0)"))))).IsEqualTo("5\n1");
    }

    [Test]
    public async Task UnknownJobId_IsAClearError()
    {
        await using var client = await ConnectAsync(syncTimeout: 30);

        var result = await client.CallToolAsync("get_job_status", ServerProcess.Args(("job_id", "job-000000000000")));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("No job 'job-000000000000'");
    }

    [Test]
    public async Task CancelledRequest_CancelsItsCode_AndKeepsTheWorkspace()
    {
        await using var client = await ConnectAsync(syncTimeout: 30);
        await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "kept = 8;")));
        var id = new RequestId("cancel-me");
        var call = client.SendRequestAsync<CallToolRequestParams, CallToolResult>(RequestMethods.ToolsCall,
            new CallToolRequestParams { Name = "execute_code", Arguments = new Dictionary<string, JsonElement>
            {
                ["code"] = JsonSerializer.SerializeToElement("while true, end"),
            } }, McpJsonUtilities.DefaultOptions, id).AsTask();
        await WaitForRunningJobAsync(client);

        await client.SendNotificationAsync(NotificationMethods.CancelledNotification, new CancelledNotificationParams { RequestId = id },
            McpJsonUtilities.DefaultOptions);

        var jobs = await WaitForJobStateAsync(client, "cancelled");
        await Assert.That(jobs).Contains("cancelled");
        await Assert.That(Text(await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(kept)"))))).IsEqualTo("8");
        _ = call.ContinueWith(_ => { }, TaskScheduler.Default); // the server sends no response to a cancelled request
    }

    [Test]
    public async Task ServerKilledAndRestarted_FinishedJobReadable_RunningJobLost()
    {
        var folder = Directory.CreateTempSubdirectory("mcp-restart-").FullName;
        var database = Path.Combine(folder, "jobs.db");
        try
        {
            string finishedId, runningId;
            await using (var first = await ConnectAsync(syncTimeout: 0.3, database))
            {
                var done = await first.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(6 * 7)")));
                finishedId = done.StructuredContent!.Value.GetProperty("job_id").GetString()!;
                var running = await first.CallToolAsync("execute_code", ServerProcess.Args(("code", "pause(60)"), ("wait_seconds", 60)));
                runningId = running.StructuredContent!.Value.GetProperty("job_id").GetString()!;
                var server = ProcessTree.FindServer(database);
                Process.GetProcessById(server).Kill(); // kill -9 the server
                await Wait.UntilAsync(() => !ProcessTree.Alive(server), "the killed server to die");
            }

            await using var second = await ConnectAsync(syncTimeout: 30, database);

            await Assert.That(Text(await second.CallToolAsync("get_job_result", ServerProcess.Args(("job_id", finishedId))))).IsEqualTo("42");
            var lost = await second.CallToolAsync("get_job_status", ServerProcess.Args(("job_id", runningId)));
            await Assert.That(lost.StructuredContent!.Value.GetProperty("state").GetString()).IsEqualTo("lost");
            await Assert.That(Text(lost)).Contains("server stopped");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task WaitForRunningJobAsync(McpClient client) => await WaitForJobStateAsync(client, "running");

    private static async Task<string> WaitForJobStateAsync(McpClient client, string state)
    {
        for (var i = 0; i < 200; i++)
        {
            var list = Text(await client.CallToolAsync("list_jobs", new Dictionary<string, object?>()));
            if (list.Split('\n')[0].Contains($"\t{state}\t", StringComparison.Ordinal))
                return list;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no job reached '{state}'");
    }
}
