using System.Globalization;
using System.Text.RegularExpressions;
using MatlabMcp.Pool;

namespace MatlabMcp.Tests.Jobs;

/// <summary>
/// Issue 10, item 7 upstream of the relay: one endless line (no newline, even after a record separator that starts
/// what could be a marker) passes through the engine's output reader as it comes; nothing holds it whole.
/// </summary>
public sealed partial class OutputReaderBoundsTests
{
    [Test]
    [Arguments("")]
    [Arguments("\u001e")] // a separator in user output: the reader may hold only a marker's worth before giving it up
    public async Task EndlessLine_ReachesTheSinkChunkByChunk_AndTheSinkKeepsOnlyItsBudget(string prefix)
    {
        var sink = new OutputSink(1000);
        var reader = new EngineOutputReader(id => id == 1 ? sink : null, _ => { });
        reader.Feed("\u001emcp:begin:1\n" + prefix);
        var chunk = new string('x', 16 * 1024);

        for (var i = 1; i <= 200; i++)
        {
            reader.Feed(chunk);
            var delivered = Delivered(sink);
            await Assert.That(delivered).IsBetween((long)i * chunk.Length - 64, (long)i * chunk.Length + prefix.Length).Inclusive();
        }

        await Assert.That(sink.Truncated).IsTrue();
        await Assert.That(sink.Text.Length).IsBetween(1000, 1100).Inclusive(); // its budget plus the "[... n characters (m line breaks) left out here ...]" line
    }

    /// <summary>Everything the sink was handed: what it kept plus what it says it left out.</summary>
    private static long Delivered(OutputSink sink)
    {
        var text = sink.Text;
        var omitted = OmittedCount().Match(text);
        return omitted.Success
            ? text.Length - omitted.Length + long.Parse(omitted.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)
            : text.Length;
    }

    [GeneratedRegex(@"\n\[\.\.\. ([\d,]+) characters \([\d,]+ line breaks\) left out here \.\.\.\]\n")]
    private static partial Regex OmittedCount();
}
