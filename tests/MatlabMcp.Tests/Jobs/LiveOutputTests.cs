using System.Text;
using System.Text.Json;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Jobs;

/// <summary>Issue 10, items 7 and 8 at their source: what a call streams, and how text is made safe to show.</summary>
public sealed class LiveOutputTests
{
    [Fact]
    public void Add_PastTheBudget_HandsOutExactlyTheBudget_InPieces_ThenOneNoteLast()
    {
        var live = new LiveOutput(20_000);
        for (var i = 0; i < 100; i++)
            live.Add(new string('x', 16_384));

        var sent = Drain(live, final: false);

        Assert.Equal(20_000, sent[..^1].Sum(p => p.Count(c => c == 'x')));
        Assert.All(sent, p => Assert.True(p.Length <= LiveOutput.PieceChars + 1));
        Assert.Contains("output.max_output_chars", sent[^1]);
        Assert.Single(sent, p => p.Contains("cut", StringComparison.Ordinal));
        Assert.Null(live.TakeNote());
    }

    [Fact]
    public void Add_WithinTheBudget_NeedsNoNote()
    {
        var live = new LiveOutput(100);
        live.Add("short\n");

        Assert.Equal(["short\n"], Drain(live, final: true));
    }

    [Fact]
    public void Pieces_OfTheWorstText_FitOneNotificationOf64KB()
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
            Assert.True(bytes <= 64 * 1024, $"a notification of {bytes:N0} bytes");
            Assert.False(char.IsHighSurrogate(piece[^1]), "a piece ends inside a character");
        }
    }

    [Fact]
    public void CrLf_SplitAcrossChunks_BecomesLf_AndABareCrIsShown()
    {
        var live = new LiveOutput(1000);
        live.Add("a\r");
        Assert.Equal("a", live.TakePiece(final: false)); // the CR waits: its LF may follow
        live.Add("\nb\rc\r");

        Assert.Equal(@"\nb\rc".Replace(@"\n", "\n", StringComparison.Ordinal), live.TakePiece(final: false));
        Assert.Equal(@"\r", live.TakePiece(final: true));
    }

    [Fact]
    public void LastLine_IsTheLastNonEmptyLine_EscapedAndShort()
    {
        var live = new LiveOutput(10);
        live.Add("first\nsecond \u001b[1mbold\n\n");
        Assert.Equal(@"second \x1b[1mbold", live.LastLine);

        live.Add(new string('y', 5000));
        Assert.Equal(new string('y', 200), live.LastLine);
    }

    [Theory]
    [InlineData("plain text\twith tab\n", "plain text\twith tab\n")]
    [InlineData("\u001b[31mred\u001b[0m", @"\x1b[31mred\x1b[0m")]
    [InlineData("bell\a nul\0 del\u007f", @"bell\x07 nul\x00 del\x7f")]
    [InlineData("csi\u009b2J osc\u009d", @"csi\u009b2J osc\u009d")]
    [InlineData("windows\r\nline\rover", "windows\nline\\rover")]
    [InlineData(@"already \x1b escaped", @"already \x1b escaped")]
    [InlineData("ünïcödé and 😀 stay", "ünïcödé and 😀 stay")]
    public void Escape_ControlsBecomeVisible_NewlineTabAndTextStay(string raw, string shown)
    {
        Assert.Equal(shown, ClientText.Escape(raw));
        Assert.Equal(shown, ClientText.Escape(shown)); // escaping twice changes nothing
    }

    [Fact]
    public void Escape_WithNothingToEscape_ReturnsTheSameString()
    {
        var text = new StringBuilder("no controls here").ToString();

        Assert.Same(text, ClientText.Escape(text));
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
