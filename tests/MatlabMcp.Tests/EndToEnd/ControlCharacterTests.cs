using System.Collections.Concurrent;
using MatlabMcp.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>
/// Issue 10, item 8: terminal control characters printed by code reach the client as visible escapes (\x1b, \u009b),
/// in results, error messages, streamed output and progress messages alike; newline and tab stay, CRLF becomes LF.
/// </summary>
public sealed class ControlCharacterTests
{
    // ESC sequences (colour, OSC title), BEL, bare CR, CRLF, NUL, DEL, C1 CSI (UTF-8 C2 9B), and a tab.
    private const string Printed =
        "s = ['red:' char(27) '[31mR' char(27) '[0m bell:' char(7) ' cr:a' char(13) 'b crlf:' char(13) char(10) " +
        "'next nul:' char(0) ' del:' char(127) ' csi:' char([194 155]) '2J tab:' char(9) 'end' char(10)]; ";

    private const string Escaped =
        @"red:\x1b[31mR\x1b[0m bell:\x07 cr:a\rb crlf:" + "\n" + @"next nul:\x00 del:\x7f csi:\u009b2J tab:" + "\tend\n";

    [Test]
    public async Task ControlCharacters_InResultStreamErrorAndProgress_ReachTheClientEscaped()
    {
        await using var server = await ConfiguredServer.StartAsync(("execution__heartbeat_interval", "120"));
        var stream = OutputBoundsTests.Record(server);
        await using var recorder = new ProgressRecorder(server.Client);
        var progress = recorder.Reports;

        var result = await server.Client.CallToolAsync("execute_code", ServerProcess.Args(("code",
            Printed + "pause(0.3); fputs(stdout, s); mcp_progress(0.5, ['step' char(27) '[2J' char(7)]); pause(0.3); " +
            "error('MCP:ctl', 'bad%s', [char(27) ']0;title' char(7)]);")), ProgressRecorder.Token);
        await Wait.UntilAsync(() => !stream.IsEmpty && progress.Any(p => p.Total is not null), "the streamed output and the report");
        await server.CallAsync("list_jobs"); // anything more for the first call was read (and its handlers started) before this answer

        await Assert.That(result.IsError).IsTrue();
        var text = ConfiguredServer.Text(result);
        await Assert.That(text).StartsWith(Escaped);
        await Assert.That(text).Contains(@"bad\x1b]0;title\x07");
        var structured = result.StructuredContent!.Value;
        await Assert.That(structured.GetProperty("output").GetString()).IsEqualTo(Escaped);
        await Assert.That(structured.GetProperty("error").GetProperty("message").GetString()).IsEqualTo(@"bad\x1b]0;title\x07");
        await Assert.That((await Assert.That(stream).HasSingleItem()).Data).IsEqualTo(Escaped); // one write, so one notification
        var reported = await Assert.That(progress).HasSingleItem(p => p.Total is not null);
        await Assert.That(reported.Message).Contains(@"step\x1b[2J\x07");
        foreach (var sent in new[] { text, structured.GetRawText(), reported.Message! }.Concat(stream.Select(n => n.Data)))
            await Assert.That(sent.AsEnumerable()).DoesNotContain(c => c is < ' ' and not ('\n' or '\t') or >= '\u007f' and <= '\u009f');
    }

    [Test]
    public async Task ControlCharacters_InAJobsStatusAndResult_AreEscapedToo()
    {
        await using var server = await ConfiguredServer.StartAsync(("execution__sync_timeout", "0.3"));
        var started = await server.CallAsync("execute_code", ("code", Printed + "fputs(stdout, s); pause(1.5);"));
        var jobId = ConfiguredServer.Structured(started, "job_id")!;

        var status = await server.CallAsync("get_job_status", ("job_id", jobId));
        for (var polls = 0; polls < 600 && ConfiguredServer.Structured(status, "output_so_far") is null or ""; polls++)
        {
            await Task.Delay(50); // polling (bounded): until the engine has started and printed
            status = await server.CallAsync("get_job_status", ("job_id", jobId));
        }
        var result = await server.CallAsync("get_job_result", ("job_id", jobId), ("wait_seconds", 30));

        await Assert.That(ConfiguredServer.Text(status)).Contains(Escaped);
        await Assert.That(ConfiguredServer.Structured(status, "output_so_far")).IsEqualTo(Escaped);
        await Assert.That(ConfiguredServer.Text(result)).IsEqualTo(Escaped.TrimEnd('\n'));
    }
}
