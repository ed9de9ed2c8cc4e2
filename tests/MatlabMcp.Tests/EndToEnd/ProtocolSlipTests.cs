using System.Collections.Concurrent;
using MatlabMcp.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>Issue 10, item 14 (protocol half): what a successful cancel says, and how many notifications a report makes.</summary>
public sealed class ProtocolSlipTests
{
    [Test]
    public async Task CancelJob_ThatStopsTheJob_IsNotAToolError()
    {
        await using var server = await ConfiguredServer.StartAsync(("execution__sync_timeout", "0.3"));
        var started = await server.CallAsync("execute_code", ("code", "while true, pause(0.05); end"));
        var jobId = ConfiguredServer.Structured(started, "job_id")!;

        var cancelled = await server.CallAsync("cancel_job", ("job_id", jobId));

        await Assert.That(cancelled.IsError).IsNotEqualTo(true);
        await Assert.That(ConfiguredServer.Structured(cancelled, "status")).IsEqualTo("cancelled");
        await Assert.That(ConfiguredServer.Text(cancelled)).Contains("Cancelled");
        // The job itself still reads as cancelled, not completed.
        var status = await server.CallAsync("get_job_status", ("job_id", jobId));
        await Assert.That(ConfiguredServer.Structured(status, "state")).IsEqualTo("cancelled");
    }

    [Test]
    public async Task McpProgress_EachReport_YieldsExactlyOneProgressNotification()
    {
        // No heartbeat within the test: every notification with a total comes from a report.
        await using var server = await ConfiguredServer.StartAsync(("execution__heartbeat_interval", "120"));
        await server.CallAsync("execute_code", ("code", "1;")); // a warm engine
        await using var recorder = new ProgressRecorder(server.Client);
        var reports = recorder.Reports;

        var result = await server.Client.CallToolAsync("execute_code",
            ServerProcess.Args(("code", "pause(0.3); mcp_progress(0.25, 'first'); pause(0.6); mcp_progress(0.75, 'second'); pause(0.6);")),
            ProgressRecorder.Token);
        await Wait.UntilAsync(() => reports.Count(r => r.Total is not null) >= 2, "both reports");
        // Anything more the server sent for the first call was read (and its handler started) before the answer to this one.
        await server.CallAsync("list_jobs");

        await Assert.That(result.IsError).IsNotEqualTo(true);
        var reported = reports.Where(r => r.Total is not null).OrderBy(r => r.Progress).ToList(); // handlers run concurrently
        var seen = string.Join(" | ", reported.Select(r => $"{r.Progress}: {r.Message}"));
        await Assert.That(reported.Count == 2).IsTrue().Because($"expected one notification per report, got: {seen}");
        await Assert.That(reported[0].Message).Contains("first");
        await Assert.That(reported[1].Message).Contains("second");
        await Assert.That(reported.Select(r => r.Progress)).IsEquivalentTo([25f, 75f], CollectionOrdering.Matching);
    }
}
