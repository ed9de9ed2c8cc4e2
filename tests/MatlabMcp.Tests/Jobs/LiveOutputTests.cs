using System.Text;
using System.Text.Json;
using MatlabMcp.Execution;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Jobs;

/// <summary>Issue 10, items 7 and 8 at their source: what a call streams, and how text is made safe to show.</summary>
public sealed class LiveOutputTests
{
    [Test]
    public async Task Add_PastTheBudget_HandsOutExactlyTheBudget_InPieces_ThenOneNoteLast()
    {
        // As the relay feeds it: from the run's event stream, which holds the budget.
        var stream = new RunEventStream(20_000);
        for (var i = 0; i < 100; i++)
            stream.Output(new string('x', 16_384));
        var live = new LiveOutput(20_000);
        while (stream.TryRead(out var next))
            if (next is OutputPrinted printed)
                live.Add(printed.Text);
            else if (next is OutputCut)
                live.MarkCut();

        var sent = Drain(live, final: false);

        await Assert.That(sent[..^1].Sum(p => p.Count(c => c == 'x'))).IsEqualTo(20_000);
        await Assert.That(sent).All(p => p.Length <= LiveOutput.PieceChars + 1);
        await Assert.That(sent[^1]).Contains("output.max_output_chars");
        await Assert.That(sent).HasSingleItem(p => p.Contains("cut", StringComparison.Ordinal));
        await Assert.That(live.TakeNote()).IsNull();
    }

    [Test]
    public async Task Add_WithinTheBudget_NeedsNoNote()
    {
        var live = new LiveOutput(100);
        live.Add("short\n");

        await Assert.That(Drain(live, final: true)).IsEquivalentTo(["short\n"], CollectionOrdering.Matching);
    }

    [Test]
    public async Task Pieces_OfTheWorstText_FitOneNotificationOf64KB()
    {
        var live = new LiveOutput(1_000_000);
        live.Add(new string('\u009b', 30_000) + new string('"', 30_000) + string.Concat(Enumerable.Repeat("😀", 15_000)));

        foreach (var piece in Drain(live, final: true))
        {
            var notification = new JsonRpcNotification
            {
                Method = NotificationMethods.LoggingMessageNotification,
                Params = JsonSerializer.SerializeToNode(new LoggingMessageNotificationParams
                {
                    Level = LoggingLevel.Info,
                    Logger = "matlab-output",
                    Data = JsonSerializer.SerializeToElement(piece, McpJsonUtilities.DefaultOptions),
                }, McpJsonUtilities.DefaultOptions),
            };
            var bytes = JsonSerializer.SerializeToUtf8Bytes<JsonRpcMessage>(notification, McpJsonUtilities.DefaultOptions).Length;
            await Assert.That(bytes <= 64 * 1024).IsTrue().Because($"a notification of {bytes:N0} bytes");
            await Assert.That(char.IsHighSurrogate(piece[^1])).IsFalse().Because("a piece ends inside a character");
        }
    }

    [Test]
    public async Task CrLf_SplitAcrossChunks_BecomesLf_AndABareCrIsShown()
    {
        var live = new LiveOutput(1000);
        live.Add("a\r");
        await Assert.That(live.TakePiece(final: false)).IsEqualTo("a"); // the CR waits: its LF may follow
        live.Add("\nb\rc\r");

        await Assert.That(live.TakePiece(final: false)).IsEqualTo(@"\nb\rc".Replace(@"\n", "\n", StringComparison.Ordinal));
        await Assert.That(live.TakePiece(final: true)).IsEqualTo(@"\r");
    }

    [Test]
    public async Task LastLine_IsTheLastNonEmptyLine_EscapedAndShort_EvenPastTheBudget()
    {
        var sink = new OutputSink(2000);
        sink.Append("first\nsecond \u001b[1mbold\n\n");
        await Assert.That(LiveOutput.LastLineOf(sink.Tail(LiveOutput.TailChars))).IsEqualTo(@"second \x1b[1mbold");

        sink.Append(new string('y', 5000)); // past the sink's budget: a heartbeat still shows where the output got to
        await Assert.That(LiveOutput.LastLineOf(sink.Tail(LiveOutput.TailChars))).IsEqualTo(new string('y', 200));
    }

    [Test]
    [Arguments("plain text\twith tab\n", "plain text\twith tab\n")]
    [Arguments("\u001b[31mred\u001b[0m", @"\x1b[31mred\x1b[0m")]
    [Arguments("bell\a nul\0 del\u007f", @"bell\x07 nul\x00 del\x7f")]
    [Arguments("csi\u009b2J osc\u009d", @"csi\u009b2J osc\u009d")]
    [Arguments("windows\r\nline\rover", "windows\nline\\rover")]
    [Arguments(@"already \x1b escaped", @"already \x1b escaped")]
    [Arguments("ünïcödé and 😀 stay", "ünïcödé and 😀 stay")]
    public async Task Escape_ControlsBecomeVisible_NewlineTabAndTextStay(string raw, string shown)
    {
        await Assert.That(ClientText.Escape(raw)).IsEqualTo(shown);
        await Assert.That(ClientText.Escape(shown)).IsEqualTo(shown); // escaping twice changes nothing
    }

    [Test]
    public async Task Escape_WithNothingToEscape_ReturnsTheSameString()
    {
        var text = new StringBuilder("no controls here").ToString();

        await Assert.That(ClientText.Escape(text)).IsSameReferenceAs(text);
    }

    private static List<string> Drain(LiveOutput live, bool final)
    {
        var sent = new List<string>();
        while (live.TakePiece(final) is { } piece)
            sent.Add(piece);
        if (live.TakeNote() is { } note)
            sent.Add(note);
        return sent;
    }
}
