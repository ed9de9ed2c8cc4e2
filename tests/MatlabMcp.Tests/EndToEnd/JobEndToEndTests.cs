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

    [Fact]
    public async Task LongCode_IsPromotedToAJob_ThenItsResultIsRetrieved()
    {
        await using var client = await ConnectAsync(syncTimeout: 0.5);

        var started = await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "pause(2); disp('slow result')")));

        Assert.NotEqual(true, started.IsError);
        var structured = started.StructuredContent!.Value;
        Assert.Equal("running", structured.GetProperty("status").GetString());
        var jobId = structured.GetProperty("job_id").GetString()!;
        Assert.Contains(jobId, Text(started));
        var status = await client.CallToolAsync("get_job_status", ServerProcess.Args(("job_id", jobId)));
        Assert.Contains(status.StructuredContent!.Value.GetProperty("state").GetString(), new[] { "queued", "running" }); // queued while its engine starts
        var notYet = await client.CallToolAsync("get_job_result", ServerProcess.Args(("job_id", jobId)));
        Assert.Matches("is still (queued|running)", Text(notYet));

        var result = await client.CallToolAsync("get_job_result", ServerProcess.Args(("job_id", jobId), ("wait_seconds", 20)));

        Assert.NotEqual(true, result.IsError);
        Assert.Equal("slow result", Text(result));
        var list = await client.CallToolAsync("list_jobs", new Dictionary<string, object?>());
        Assert.Contains(jobId, Text(list));
    }

    [Fact]
    public async Task Progress_HeartbeatsAndMcpProgressValues_ReachTheClient()
    {
        await using var client = await ConnectAsync(syncTimeout: 30);
        await using var recorder = new ProgressRecorder(client);
        var reports = recorder.Reports;

        var result = await client.CallToolAsync("execute_code",
            ServerProcess.Args(("code", "pause(1); mcp_progress(0.5, 'half way'); pause(1); mcp_progress(90, 'nearly'); pause(0.5);")),
            ProgressRecorder.Token);

        Assert.NotEqual(true, result.IsError);
        for (var i = 0; i < 50 && !reports.Any(r => r.Message?.Contains("nearly") == true); i++)
            await Task.Delay(100); // handlers run concurrently with the reading of the response
        var all = reports.ToList();
        Assert.Contains(all, r => r.Total is null && r.Message!.StartsWith("running", StringComparison.Ordinal)); // heartbeat
        Assert.Contains(all, r => r.Total == 100 && Math.Abs(r.Progress - 50) < 0.01 && r.Message!.Contains("half way"));
        Assert.Contains(all, r => r.Total == 100 && Math.Abs(r.Progress - 90) < 0.01 && r.Message!.Contains("nearly"));
    }

    [Fact]
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

        Assert.NotNull(reportedAt);
        Assert.True(Stopwatch.GetElapsedTime(reportedAt.Value, resultAt) > TimeSpan.FromSeconds(0.8),
            $"the progress came only {Stopwatch.GetElapsedTime(reportedAt.Value, resultAt).TotalMilliseconds:0} ms before the result");
    }

    [Fact]
    public async Task Output_PrintedEarly_ReachesTheClientBeforeTheJobEnds()
    {
        await using var client = await ConnectAsync(syncTimeout: 30);
        var firstOutput = new TaskCompletionSource<(string Text, long At)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var handler = client.RegisterNotificationHandler(NotificationMethods.LoggingMessageNotification, (notification, _) =>
        {
            var data = notification.Params!["data"]!.GetValue<string>();
            firstOutput.TrySetResult((data, Stopwatch.GetTimestamp()));
            return ValueTask.CompletedTask;
        });

        var call = client.CallToolAsync("execute_code", ServerProcess.Args(("code", "pause(0.2); disp('early line'); pause(2.5); disp('end')"))).AsTask();
        var (text, at) = await firstOutput.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var result = await call;
        var ended = Stopwatch.GetTimestamp();

        Assert.Equal("early line\n", text);
        Assert.True(Stopwatch.GetElapsedTime(at, ended) > TimeSpan.FromSeconds(1.5), "the output arrived only at the end");
        Assert.Equal("early line\nend", Text(result));
    }

    [Fact]
    public async Task CancelJob_KeepsTheWorkspace_AndTheEngineServesTheNextCall()
    {
        await using var client = await ConnectAsync(syncTimeout: 0.3);
        await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "kept = 5;")));
        // On a loaded machine the first call can outlast the 0.3 s sync window; a busy session answers at once, so queue.
        var started = await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "for k = 1:1e9, counter = k; end"), ("wait_seconds", 60)));
        var jobId = started.StructuredContent!.Value.GetProperty("job_id").GetString();

        var cancelled = await client.CallToolAsync("cancel_job", ServerProcess.Args(("job_id", jobId)));

        Assert.Equal("cancelled", cancelled.StructuredContent!.Value.GetProperty("status").GetString());
        Assert.True(cancelled.StructuredContent.Value.GetProperty("workspace_kept").GetBoolean());
        Assert.Equal("5\n1", Text(await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(kept); disp(counter > 0)")))));
    }

    [Fact]
    public async Task UnknownJobId_IsAClearError()
    {
        await using var client = await ConnectAsync(syncTimeout: 30);

        var result = await client.CallToolAsync("get_job_status", ServerProcess.Args(("job_id", "job-000000000000")));

        Assert.True(result.IsError);
        Assert.Contains("No job 'job-000000000000'", Text(result));
    }

    [Fact]
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
        Assert.Contains("cancelled", jobs);
        Assert.Equal("8", Text(await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(kept)")))));
        _ = call.ContinueWith(_ => { }, TaskScheduler.Default); // the server sends no response to a cancelled request
    }

    [Fact]
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
                Process.GetProcessById(ProcessTree.FindServer(database)).Kill(); // kill -9 the server
                await Task.Delay(500);
            }

            await using var second = await ConnectAsync(syncTimeout: 30, database);

            Assert.Equal("42", Text(await second.CallToolAsync("get_job_result", ServerProcess.Args(("job_id", finishedId)))));
            var lost = await second.CallToolAsync("get_job_status", ServerProcess.Args(("job_id", runningId)));
            Assert.Equal("lost", lost.StructuredContent!.Value.GetProperty("state").GetString());
            Assert.Contains("server stopped", Text(lost));
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
