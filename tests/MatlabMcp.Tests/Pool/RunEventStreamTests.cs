using MatlabMcp.Pool;

namespace MatlabMcp.Tests.Pool;

/// <summary>One run's events in order, bounded however much the code prints or reports while nobody reads.</summary>
public sealed class RunEventStreamTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    [Test]
    public async Task OutputAndReports_ComeInTheOrderTheyHappened()
    {
        var stream = new RunEventStream(1000);
        stream.Output("a");
        stream.Progress(new ProgressReported(0.5, "half", At));
        stream.Output("b");
        stream.End();

        await Assert.That(ReadAll(stream)).IsEquivalentTo(
            ["out:a", "progress:0.5 half", "out:b", "end"], CollectionOrdering.Matching);
        await Assert.That(await stream.WaitToReadAsync(CancellationToken.None)).IsFalse();
    }

    [Test]
    public async Task Output_PastTheBudget_IsCutOnce_NeverHalfACharacter()
    {
        var stream = new RunEventStream(5);
        stream.Output("abcd\U0001F600"); // the emoji's two halves would straddle the budget
        stream.Output("more and more");

        await Assert.That(ReadAll(stream)).IsEquivalentTo(["out:abcd", "cut"], CollectionOrdering.Matching);
    }

    [Test]
    public async Task Reports_NobodyReads_StopQueueingAtTheBound_AndTheNewestValueWins()
    {
        var stream = new RunEventStream(1000);
        for (var i = 1; i <= 1000; i++)
            stream.Progress(new ProgressReported(i / 1000.0, $"step {i}", At));

        var events = ReadAll(stream);

        await Assert.That(events.Count).IsEqualTo(RunEventStream.MaxUnreadReports);
        await Assert.That(events[^1]).IsEqualTo("progress:1 step 1000");
        await Assert.That(events[0]).IsEqualTo("progress:0.001 step 1");
    }

    [Test]
    public async Task AReaderThatKeepsUp_SeesEveryReport()
    {
        var stream = new RunEventStream(1000);
        var seen = new List<string>();
        for (var i = 1; i <= 100; i++)
        {
            stream.Progress(new ProgressReported(i / 100.0, $"step {i}", At));
            seen.AddRange(ReadAll(stream));
        }

        await Assert.That(seen.Count).IsEqualTo(100);
    }

    private static List<string> ReadAll(RunEventStream stream)
    {
        var events = new List<string>();
        while (stream.TryRead(out var next))
            events.Add(next switch
            {
                OutputPrinted printed => $"out:{printed.Text}",
                OutputCut => "cut",
                ProgressReported report => $"progress:{report.Fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} {report.Message}",
                RunEnded => "end",
                _ => next.ToString(),
            });
        return events;
    }
}
