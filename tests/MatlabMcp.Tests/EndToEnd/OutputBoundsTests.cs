using System.Collections.Concurrent;
using System.Text;
using MatlabMcp.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>
/// Issue 10, item 7: live output is bounded like the result. A runaway print reaches the client as at most
/// output.max_output_chars characters, in notifications of at most 64 KB, then one note; the server's memory
/// stays bounded whatever the code prints, and the client stays connected.
/// </summary>
public sealed class OutputBoundsTests
{
    private const int MaxNotificationBytes = 64 * 1024;

    [Test]
    public async Task LiveOutput_OfAHugePrint_StopsAtTheBudget_InSmallNotifications_ThenOneNote()
    {
        await using var server = await ConfiguredServer.StartAsync(("output__max_output_chars", "20000"));
        var stream = Record(server);

        // The pause lets the call's relay start first, so the print goes out live rather than with the result.
        var result = await server.CallAsync("execute_code", ("code", "pause(0.3); printf('%s', repmat('x', 1, 2e6)); disp(' ')"));
        // The SDK client runs notification handlers concurrently and in no set order: wait for what must come, then one
        // round trip more for anything that should not.
        await Wait.UntilAsync(() => stream.Any(n => n.Data.Contains("cut", StringComparison.Ordinal)) &&
            stream.Where(n => !n.Data.Contains("cut", StringComparison.Ordinal)).Sum(n => n.Data.Count(c => c == 'x')) >= 20000,
            "the streamed budget and the note");
        await server.CallAsync("list_jobs");

        await Assert.That(result.IsError).IsNotEqualTo(true);
        var notifications = stream.ToList();
        foreach (var n in notifications)
            await Assert.That(n.Bytes <= MaxNotificationBytes).IsTrue().Because($"a notification of {n.Bytes:N0} bytes");
        // Arrival order is not checked here (LiveOutputTests does).
        var note = await Assert.That(notifications).HasSingleItem(n => n.Data.Contains("cut", StringComparison.Ordinal));
        await Assert.That(notifications.Where(n => n != note).Sum(n => n.Data.Count(c => c == 'x'))).IsEqualTo(20000); // exactly output.max_output_chars
        await Assert.That(note.Data).Contains("output.max_output_chars");
        await Assert.That(ConfiguredServer.Text(result)).Contains("characters (0 line breaks) left out here; the full text is in output/job-"); // the result keeps its own head and tail
        await Assert.That(ConfiguredServer.Text(await server.CallAsync("execute_code", ("code", "disp(1 + 1)")))).IsEqualTo("2");
    }

    [Test]
    public async Task HundredMillionCharacters_OnOneLine_KeepTheServerSmall_AndTheClientConnected()
    {
        await using var server = await ConfiguredServer.StartAsync(("execution__sync_timeout", "600"));
        var stream = Record(server);
        await server.CallAsync("execute_code", ("code", "1;"));
        var pid = server.ProcessId;
        var before = PeakRssMb(pid);

        var result = await server.CallAsync("execute_code", ("code", "pause(0.3); printf('%s', repmat('x', 1, 1e8)); disp(' ')"));
        var peak = PeakRssMb(pid);

        await Assert.That(result.IsError).IsNotEqualTo(true);
        await Assert.That(peak <= 150).IsTrue().Because($"the server's peak RSS was {peak:0} MB (before the print: {before:0} MB)");
        TestContext.Current?.Output.WriteLine($"server peak RSS: {before:0} MB before the print, {peak:0} MB after it");
        await Assert.That(ConfiguredServer.Text(result)).Matches(@"\[\.\.\. 99,98\d,\d{3} characters \(0 line breaks\) left out here; the full text is in output/job-[0-9a-f]{12}\.txt \.\.\.\]");
        foreach (var n in stream)
            await Assert.That(n.Bytes <= MaxNotificationBytes).IsTrue().Because($"a notification of {n.Bytes:N0} bytes");
        await Assert.That(stream.Where(n => !n.Data.Contains("cut", StringComparison.Ordinal)).Sum(n => n.Data.Count(c => c == 'x'))).IsBetween(1, 20_000).Inclusive();
        await Assert.That(ConfiguredServer.Text(await server.CallAsync("execute_code", ("code", "disp(1 + 1)")))).IsEqualTo("2");
    }

    [Test]
    public async Task LongProgressMessage_AndLongErrorMessage_AreCutToo()
    {
        await using var server = await ConfiguredServer.StartAsync(("output__max_output_chars", "20000"), ("execution__heartbeat_interval", "120"));
        await using var recorder = new ProgressRecorder(server.Client);
        var reports = recorder.Reports;

        var result = await server.Client.CallToolAsync("execute_code", ServerProcess.Args(("code",
            "pause(0.3); mcp_progress(0.5, repmat('p', 1, 1e5)); pause(0.3); error(repmat('e', 1, 2e5))")),
            ProgressRecorder.Token);
        await Wait.UntilAsync(() => reports.Any(r => r.Total is not null), "the progress report");

        var report = reports.Single(r => r.Total is not null);
        await Assert.That(report.Message!.Count(c => c == 'p')).IsBetween(500, 1000).Inclusive();
        await Assert.That(result.StructuredContent).IsNull(); // a long error travels once, in the text
        var message = ConfiguredServer.Text(result);
        await Assert.That(message.Count(c => c == 'e')).IsBetween(19_000, 20_100).Inclusive(); // the text and cut note have a few e's of their own
        await Assert.That(message).Contains("characters (0 line breaks) left out here ...]");
    }

    internal sealed record Notification(string Data, int Bytes);

    /// <summary>Every output notification, with its size on the wire.</summary>
    internal static ConcurrentQueue<Notification> Record(ConfiguredServer server)
    {
        var seen = new ConcurrentQueue<Notification>();
        _ = server.Client.RegisterNotificationHandler(NotificationMethods.LoggingMessageNotification, (notification, _) =>
        {
            var parameters = notification.Params!;
            seen.Enqueue(new Notification(parameters["data"]!.GetValue<string>(), Encoding.UTF8.GetByteCount(parameters.ToJsonString())));
            return ValueTask.CompletedTask;
        });
        return seen;
    }

    /// <summary>The most memory the process has held so far (VmHWM), in MB.</summary>
    internal static double PeakRssMb(int pid)
    {
        var line = File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }
}
