using MatlabMcp.Output;

namespace MatlabMcp.Tests.Output;

/// <summary>
/// Issue 13: long text is cut at line boundaries, head and tail, and the marker in place of the cut counts exactly what it
/// left out (characters and line breaks) and names the file with the full text.
/// </summary>
public sealed class TextBudgetTests
{
    private static string Lines(int from, int to) => string.Concat(Enumerable.Range(from, to - from + 1).Select(k => $"line {k:000}\n"));

    [Test]
    public async Task ShortText_IsReturnedWhole()
    {
        await Assert.That(TextBudget.Cut(Lines(1, 3), 100)).IsEqualTo((Lines(1, 3), false));
    }

    [Test]
    public async Task LongText_IsCutAtLineBreaks_AndTheMarkerCountsExactly()
    {
        var text = Lines(1, 200); // 1,800 characters, 200 line breaks

        var (cut, truncated) = TextBudget.Cut(text, 300);

        await Assert.That(truncated).IsTrue();
        // Head: 200 characters back to a line break = lines 1-22 (198). Tail: 102 forward to a line start = lines 190-200 (99).
        await Assert.That(cut).IsEqualTo(Lines(1, 22) + "[... 1,503 characters (167 line breaks) left out here ...]\n" + Lines(190, 200));
        var kept = Lines(1, 22).Length + Lines(190, 200).Length;
        await Assert.That(kept + 1503).IsEqualTo(text.Length); // the count is exact
        await Assert.That(Lines(23, 189).Count(c => c == '\n')).IsEqualTo(167);
    }

    [Test]
    public async Task TheMarker_NamesTheFile_AndSaysWhenTheFileItselfWasCut()
    {
        var (full, _) = TextBudget.Cut(Lines(1, 200), 300);
        var (whole, _) = TextBudget.Cut(Lines(1, 22), 1500, 167, Lines(190, 200), 300, "output/job-1.txt", tailAtLineStart: true);
        var (start, _) = TextBudget.Cut(Lines(1, 22), 1500, 167, Lines(190, 200), 300, "output/job-1.txt", fileCut: true, tailAtLineStart: true);

        await Assert.That(full).DoesNotContain("output/");
        await Assert.That(whole).Contains("left out here; the full text is in output/job-1.txt ...]\nline 190");
        await Assert.That(start).Contains("left out here; the output file output/job-1.txt holds its start (output.max_spill_mb) ...]");
    }

    [Test]
    public async Task OneLineLongerThanTheBudget_IsCutInsideItself_AndTheMarkerGetsItsOwnLine()
    {
        var text = new string('x', 1000);

        var (cut, _) = TextBudget.Cut(text, 300);

        await Assert.That(cut).IsEqualTo(new string('x', 200) + "\n[... 700 characters (0 line breaks) left out here ...]\n" + new string('x', 100));
    }

    [Test]
    public async Task ACut_NeverSplitsASurrogatePair()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 500)); // 1,000 UTF-16 units, no line breaks

        var (cut, _) = TextBudget.Cut(text, 301);

        await Assert.That(cut.Where(char.IsSurrogate).Count() % 2).IsEqualTo(0);
        foreach (var part in cut.Split('\n'))
            await Assert.That(part.Length == 0 || !char.IsLowSurrogate(part[0]) && !char.IsHighSurrogate(part[^1])).IsTrue();
    }

    [Test]
    public async Task Tail_StartsAtALine()
    {
        await Assert.That(TextBudget.Tail(Lines(1, 10), 20)).IsEqualTo(Lines(9, 10)); // 20 back from the end is inside line 8
        await Assert.That(TextBudget.Tail(Lines(1, 2), 100)).IsEqualTo(Lines(1, 2));
    }
}
