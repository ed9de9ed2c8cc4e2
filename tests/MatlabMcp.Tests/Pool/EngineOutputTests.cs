using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

public sealed class EngineOutputReaderTests
{
    private readonly List<string> _stray = [];
    private readonly OutputSink _sink = new(1000);

    private EngineOutputReader Reader() => new(id => id == 7 ? _sink : null, _stray.Add);

    [Test]
    public async Task Feed_TextBetweenMarkers_GoesToTheRequest_RestIsStray()
    {
        Reader().Feed("prompt> \u001emcp:begin:7\nhello\nno newline\u001emcp:end:7\nafter");

        await Assert.That(_sink.Text).IsEqualTo("hello\nno newline");
        await Assert.That(_sink.Ended.IsCompleted).IsTrue();
        await Assert.That(_stray).IsEquivalentTo(["prompt> ", "after"], CollectionOrdering.Matching);
    }

    [Test]
    public async Task Feed_MarkersSplitAcrossChunks_AreStillRecognised()
    {
        var reader = Reader();
        foreach (var piece in new[] { "\u001emcp:be", "gin:7", "\nab", "c\u001e", "mcp:end", ":7\n" })
            reader.Feed(piece);

        await Assert.That(_sink.Text).IsEqualTo("abc");
        await Assert.That(_sink.Ended.IsCompleted).IsTrue();
    }

    [Test]
    public async Task Feed_RecordSeparatorInUserOutput_IsKeptAsText()
    {
        Reader().Feed("\u001emcp:begin:7\nx\u001enot a marker\ny\u001emcp:end:7\n");

        await Assert.That(_sink.Text).IsEqualTo("x\u001enot a marker\ny");
    }

    [Test]
    public async Task Feed_ThePromptMarker_EndsTheOutputAndIsNeverPartOfIt_AForgedOneIsText()
    {
        var prompts = 0;
        var begun = new List<long>();
        var reader = new EngineOutputReader(id => id == 7 ? _sink : null, _stray.Add, "0123abcd", begun.Add, () => prompts++);

        // A begin marker says the request was read; a prompt with another token is user output; ours ends the output.
        foreach (var piece in new[] { "\u001emcp:begin:7\nworking\n\u001emcp:prompt:ffff0000\n", "\n\u001emcp:pro", "mpt:0123abcd\n", "late" })
            reader.Feed(piece);

        await Assert.That(begun).IsEquivalentTo([7L], CollectionOrdering.Matching);
        await Assert.That(_sink.Begun.IsCompleted).IsTrue();
        await Assert.That(_sink.Text).IsEqualTo("working\n\u001emcp:prompt:ffff0000\n\n");
        await Assert.That(_sink.Ended.IsCompleted).IsTrue();
        await Assert.That(prompts).IsEqualTo(1);
        await Assert.That(_stray).IsEquivalentTo(["late"], CollectionOrdering.Matching);
    }

    [Test]
    public async Task Sink_KeepsTwoThirdsHeadAndOneThirdTail_AndCountsTheMiddleExactly()
    {
        var sink = new OutputSink(15);
        sink.Append("0123456789ABCDEFGHIJ");
        sink.Append("KLMNOPQRSTUVWXYZ");

        await Assert.That(sink.Truncated).IsTrue();
        await Assert.That(sink.Text).IsEqualTo("0123456789\n[... 21 characters (0 line breaks) left out here ...]\nVWXYZ");
    }

    [Test]
    public async Task SinkView_CutsASecondTime_WithTheCountOfEverythingLeftOut()
    {
        var sink = new OutputSink(30);
        sink.Append(string.Concat(Enumerable.Range(0, 10).Select(i => $"{i}123456789")));

        var (text, truncated) = sink.View(9);

        await Assert.That(truncated).IsTrue();
        await Assert.That(text).IsEqualTo("012345\n[... 91 characters (0 line breaks) left out here ...]\n789");
        await Assert.That(Fresh("short").View(9)).IsEqualTo(("short", false));
    }

    private static OutputSink Fresh(string text)
    {
        var sink = new OutputSink(30);
        sink.Append(text);
        return sink;
    }
}

/// <summary>Output and progress stream out of a real engine while the code runs.</summary>
public sealed class EngineStreamingTests : IAsyncDisposable
{
    private readonly EngineHarness _engine = new();

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Test]
    public async Task Output_PrintedBeforeTheEnd_ArrivesWhileTheCodeRuns()
    {
        using var lease = await _engine.Sessions.AcquireAsync("local", null, CancellationToken.None);
        var sink = new OutputSink(1000);

        var run = lease.Engine.EvalAsync("disp('early'); pause(2); disp('late')", sink);

        await Assert.That(await sink.Events.WaitToReadAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10))).IsTrue();
        await Assert.That(sink.Events.TryRead(out var first) ? first : null).IsTypeOf<OutputPrinted>();
        await Assert.That(((OutputPrinted)first!).Text).StartsWith("early");
        await Assert.That(run.IsCompleted).IsFalse();
        await Assert.That((await run).Output).IsEqualTo("early\nlate\n");
    }

    [Test]
    public async Task McpProgress_ReachesTheSink_AsFractionAndMessage()
    {
        using var lease = await _engine.Sessions.AcquireAsync("local", null, CancellationToken.None);
        var sink = new OutputSink(1000);

        await lease.Engine.EvalAsync("mcp_progress(0.25, 'meshing'); mcp_progress(80, 'solving');", sink);

        var reports = new List<(double, string)>();
        while (sink.Events.TryRead(out var next))
            if (next is ProgressReported report)
                reports.Add((report.Fraction, report.Message));
        await Assert.That(reports).IsEquivalentTo([(0.25, "meshing"), (0.8, "solving")], CollectionOrdering.Matching);
    }

    [Test]
    public async Task TimeLimit_KeepsTheOutputPrintedBeforeTheInterrupt()
    {
        var outcome = await _engine.RunAsync("disp('step 1'); while true, end", timeoutSeconds: 1);

        await Assert.That(outcome.Status).IsEqualTo(JobState.TimedOut);
        await Assert.That(outcome.Output).IsEqualTo("step 1\n");
    }

    [Test]
    public async Task Warnings_AppearInTheOutputInOrder()
    {
        var outcome = await _engine.RunAsync("disp('a'); warning('careful'); disp('b')");

        await Assert.That(outcome.Output).IsEqualTo("a\nwarning: careful\nb\n");
    }
}
