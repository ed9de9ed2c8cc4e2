using System.Text;
using System.Text.RegularExpressions;
using MatlabMcp.Pool;

namespace MatlabMcp.Tests.Output;

/// <summary>
/// Issue 13: output past the budget streams in full to output/&lt;job&gt;.txt in the session folder as it is printed; the sink
/// never holds more than its budget; the file is bounded (output.max_spill_mb); engine code that plants links where the
/// server writes or reads redirects nothing.
/// </summary>
public sealed partial class OutputSpillTests
{
    private const int Budget = 20_000;

    private static string Folder()
    {
        var folder = Directory.CreateTempSubdirectory("mcp-spill-").FullName;
        return folder;
    }

    [Test]
    public async Task FiveMegabytes_StreamToTheFile_WhileTheSinkHoldsAtMostItsBudget()
    {
        var folder = Folder();
        var sink = new OutputSink(Budget);
        var spill = new OutputSpill(folder, "job-0123456789ab", maxBytes: 100L << 20);
        sink.SpillTo(spill);
        var printed = new StringBuilder();
        var held = 0;
        for (var k = 1; printed.Length < 5_000_000; k++)
        {
            var line = $"line {k} of a long print: {new string('y', k % 97)}\n";
            printed.Append(line);
            sink.Append(line);
            held = Math.Max(held, sink.HeldChars);
        }
        sink.End();

        await Assert.That(held).IsLessThanOrEqualTo(Budget); // the server never held the 5 MB
        var file = Path.Combine(folder, "output", "job-0123456789ab.txt");
        await Assert.That(File.ReadAllText(file)).IsEqualTo(printed.ToString()); // the full text, line for line
        await Assert.That(spill.Bytes).IsEqualTo(new FileInfo(file).Length);
        await Assert.That(spill.Cut).IsFalse();

        // The marker's counts are exact: what is kept plus what it says it left out is everything printed.
        var text = sink.Text;
        var marker = Marker().Match(text);
        await Assert.That(marker.Success).IsTrue();
        await Assert.That(marker.Groups["file"].Value).IsEqualTo("output/job-0123456789ab.txt");
        var head = text[..marker.Index];
        var tail = text[(marker.Index + marker.Length + 1)..];
        var chars = long.Parse(marker.Groups["chars"].Value.Replace(",", ""));
        var lines = long.Parse(marker.Groups["lines"].Value.Replace(",", ""));
        await Assert.That(head.Length + chars + tail.Length).IsEqualTo(printed.Length);
        await Assert.That(printed.ToString().StartsWith(head, StringComparison.Ordinal) && head.EndsWith('\n')).IsTrue(); // whole lines
        await Assert.That(printed.ToString().EndsWith(tail, StringComparison.Ordinal)).IsTrue();
        await Assert.That(printed[printed.Length - tail.Length - 1]).IsEqualTo('\n'); // the tail starts a line
        var middle = printed.ToString(head.Length, (int)chars);
        await Assert.That((long)middle.Count(c => c == '\n')).IsEqualTo(lines);
        await Assert.That(head.Length + tail.Length).IsLessThanOrEqualTo(Budget);
    }

    [Test]
    public async Task SmallOutput_MakesNoFile()
    {
        var folder = Folder();
        var sink = new OutputSink(Budget);
        var spill = new OutputSpill(folder, "job-0123456789ab", 1 << 20);
        sink.SpillTo(spill);
        sink.Append(new string('z', Budget)); // exactly the budget: nothing is cut
        sink.End();

        await Assert.That(sink.Truncated).IsFalse();
        await Assert.That(spill.Opened).IsFalse();
        await Assert.That(Directory.Exists(Path.Combine(folder, "output"))).IsFalse();
        await Assert.That(sink.Text).IsEqualTo(new string('z', Budget));
    }

    [Test]
    public async Task TheFile_IsBoundedByMaxSpill_AndTheMarkerSaysItHoldsTheStart()
    {
        var folder = Folder();
        var sink = new OutputSink(1000);
        var spill = new OutputSpill(folder, "job-0123456789ab", maxBytes: 100_000);
        sink.SpillTo(spill);
        var line = new string('w', 99) + "\n";
        for (var i = 0; i < 5000; i++) // 500,000 characters
            sink.Append(line);
        sink.End();

        var file = new FileInfo(Path.Combine(folder, "output", "job-0123456789ab.txt"));
        await Assert.That(file.Length).IsLessThanOrEqualTo(100_000);
        await Assert.That(file.Length).IsGreaterThan(90_000);
        await Assert.That(spill.Cut).IsTrue();
        await Assert.That(sink.Text).Contains("the output file output/job-0123456789ab.txt holds its start (output.max_spill_mb)");
    }

    [Test]
    public async Task APlantedLinkInPlaceOfTheOutputFolder_IsNotFollowed()
    {
        var folder = Folder();
        var elsewhere = Folder();
        File.CreateSymbolicLink(Path.Combine(folder, "output"), elsewhere);
        var sink = new OutputSink(100);
        var spill = new OutputSpill(folder, "job-0123456789ab", 1 << 20);
        sink.SpillTo(spill);

        sink.Append(new string('v', 1000));
        sink.End();

        await Assert.That(Directory.EnumerateFileSystemEntries(elsewhere)).IsEmpty();
        await Assert.That(spill.Opened).IsFalse();
        await Assert.That(spill.Failure).IsNotNull();
        await Assert.That(sink.Text).DoesNotContain("output/"); // no file is named that does not exist
        await Assert.That(sink.Text).Contains("[... 900 characters (0 line breaks) left out here ...]");
    }

    [Test]
    public async Task APlantedLinkWithTheJobsFileName_IsNotFollowed_NorRead()
    {
        var folder = Folder();
        Directory.CreateDirectory(Path.Combine(folder, "output"));
        var target = Path.Combine(Folder(), "secret.txt");
        File.WriteAllText(target, "secret");
        File.CreateSymbolicLink(Path.Combine(folder, "output", "job-0123456789ab.txt"), target);
        var spill = new OutputSpill(folder, "job-0123456789ab", 1 << 20);
        var sink = new OutputSink(100);
        sink.SpillTo(spill);

        sink.Append(new string('v', 1000));
        sink.End();

        await Assert.That(File.ReadAllText(target)).IsEqualTo("secret"); // not overwritten through the link
        await Assert.That(spill.Opened).IsFalse();
        await Assert.That(OutputSpill.OpenRead(folder, "output/job-0123456789ab.txt")).IsNull(); // nor read through it
    }

    [Test]
    public async Task OpenRead_TakesOnlyTheServersOwnFile_InTheOutputFolder()
    {
        var folder = Folder();
        var sink = new OutputSink(100);
        sink.SpillTo(new OutputSpill(folder, "job-0123456789ab", 1 << 20));
        sink.Append(new string('u', 1000));
        sink.End();
        var hardLink = Path.Combine(folder, "output", "job-hardlinked.txt");
        if (Link(Path.Combine(folder, "output", "job-0123456789ab.txt"), hardLink) != 0)
            throw new IOException("link failed");

        await Assert.That(OutputSpill.OpenRead(folder, "output/job-0123456789ab.txt")).IsNull(); // it now has two links
        foreach (var bad in new[] { "../output/job-0123456789ab.txt", "output/../x", "output/", "job-0123456789ab.txt", "output/a/b", "/etc/passwd" })
            await Assert.That(OutputSpill.OpenRead(folder, bad)).IsNull();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link")]
    private static extern int Link(string from, string to);

    [GeneratedRegex(@"\[\.\.\. (?<chars>[\d,]+) characters \((?<lines>[\d,]+) line breaks\) left out here; the full text is in (?<file>\S+) \.\.\.\]")]
    private static partial Regex Marker();
}
