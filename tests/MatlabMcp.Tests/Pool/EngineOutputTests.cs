using MatlabMcp.Jobs;
using MatlabMcp.Pool;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

public sealed class EngineOutputReaderTests
{
    private readonly List<string> _stray = [];
    private readonly OutputSink _sink = new(1000);

    private EngineOutputReader Reader() => new(id => id == 7 ? _sink : null, _stray.Add);

    [Fact]
    public void Feed_TextBetweenMarkers_GoesToTheRequest_RestIsStray()
    {
        Reader().Feed("prompt> \u001emcp:begin:7\nhello\nno newline\u001emcp:end:7\nafter");

        Assert.Equal("hello\nno newline", _sink.Text);
        Assert.True(_sink.Ended.IsCompleted);
        Assert.Equal(["prompt> ", "after"], _stray);
    }

    [Fact]
    public void Feed_MarkersSplitAcrossChunks_AreStillRecognised()
    {
        var reader = Reader();
        foreach (var piece in new[] { "\u001emcp:be", "gin:7", "\nab", "c\u001e", "mcp:end", ":7\n" })
            reader.Feed(piece);

        Assert.Equal("abc", _sink.Text);
        Assert.True(_sink.Ended.IsCompleted);
    }

    [Fact]
    public void Feed_RecordSeparatorInUserOutput_IsKeptAsText()
    {
        Reader().Feed("\u001emcp:begin:7\nx\u001enot a marker\ny\u001emcp:end:7\n");

        Assert.Equal("x\u001enot a marker\ny", _sink.Text);
    }

    [Fact]
    public void Feed_ThePromptMarker_EndsTheOutputAndIsNeverPartOfIt_AForgedOneIsText()
    {
        var prompts = 0;
        var begun = new List<long>();
        var reader = new EngineOutputReader(id => id == 7 ? _sink : null, _stray.Add, "0123abcd", begun.Add, () => prompts++);

        // A begin marker says the request was read; a prompt with another token is user output; ours ends the output.
        foreach (var piece in new[] { "\u001emcp:begin:7\nworking\n\u001emcp:prompt:ffff0000\n", "\n\u001emcp:pro", "mpt:0123abcd\n", "late" })
            reader.Feed(piece);

        Assert.Equal([7L], begun);
        Assert.True(_sink.Begun.IsCompleted);
        Assert.Equal("working\n\u001emcp:prompt:ffff0000\n\n", _sink.Text);
        Assert.True(_sink.Ended.IsCompleted);
        Assert.Equal(1, prompts);
        Assert.Equal(["late"], _stray);
    }

    [Fact]
    public void Sink_KeepsTwoThirdsHeadAndOneThirdTail_AndCountsTheMiddleExactly()
    {
        var sink = new OutputSink(15);
        sink.Append("0123456789ABCDEFGHIJ");
        sink.Append("KLMNOPQRSTUVWXYZ");

        Assert.True(sink.Truncated);
        Assert.Equal("0123456789\n[... 21 characters omitted ...]\nVWXYZ", sink.Text);
    }

    [Fact]
    public void SinkView_CutsASecondTime_WithTheCountOfEverythingLeftOut()
    {
        var sink = new OutputSink(30);
        sink.Append(string.Concat(Enumerable.Range(0, 10).Select(i => $"{i}123456789")));

        var (text, truncated) = sink.View(9);

        Assert.True(truncated);
        Assert.Equal("012345\n[... 91 characters omitted ...]\n789", text);
        Assert.Equal(("short", false), Fresh("short").View(9));
    }

    private static OutputSink Fresh(string text)
    {
        var sink = new OutputSink(30);
        sink.Append(text);
        return sink;
    }
}

/// <summary>Output and progress stream out of a real engine while the code runs.</summary>
public sealed class EngineStreamingTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Fact]
    public async Task Output_PrintedBeforeTheEnd_ArrivesWhileTheCodeRuns()
    {
        using var lease = await _engine.Sessions.AcquireAsync("local", null, CancellationToken.None);
        var sink = new OutputSink(1000);
        var firstChunk = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        sink.OnChunk = chunk => firstChunk.TrySetResult(chunk);

        var run = lease.Engine.EvalAsync("disp('early'); pause(2); disp('late')", sink);

        Assert.StartsWith("early", await firstChunk.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(run.IsCompleted);
        Assert.Equal("early\nlate\n", (await run).Output);
    }

    [Fact]
    public async Task McpProgress_ReachesTheSink_AsFractionAndMessage()
    {
        using var lease = await _engine.Sessions.AcquireAsync("local", null, CancellationToken.None);
        var sink = new OutputSink(1000);
        var reports = new List<(double, string)>();
        sink.OnProgress = (value, message) => { lock (reports) reports.Add((value, message)); };

        await lease.Engine.EvalAsync("mcp_progress(0.25, 'meshing'); mcp_progress(80, 'solving');", sink);

        Assert.Equal([(0.25, "meshing"), (0.8, "solving")], reports);
    }

    [Fact]
    public async Task TimeLimit_KeepsTheOutputPrintedBeforeTheInterrupt()
    {
        var outcome = await _engine.RunAsync("disp('step 1'); while true, end", timeoutSeconds: 1);

        Assert.Equal(ExecutionStatus.TimedOut, outcome.Status);
        Assert.Equal("step 1\n", outcome.Output);
    }

    [Fact]
    public async Task Warnings_AppearInTheOutputInOrder()
    {
        var outcome = await _engine.RunAsync("disp('a'); warning('careful'); disp('b')");

        Assert.Equal("a\nwarning: careful\nb\n", outcome.Output);
    }
}
