using System.IO.Compression;
using System.Text;
using MatlabMcp.Endpoints;
using MatlabMcp.Output.Files;

namespace MatlabMcp.Tests.Files;

/// <summary>The readers behind read_file and read_data on hostile or odd input, without a server.</summary>
public sealed class FileReaderTests
{
    [Test]
    public async Task Xlsx_ZipBombPart_RefusedNotExpanded()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var part = zip.CreateEntry("xl/workbook.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 80; i++) // 80 MB of zeros, a few hundred KB compressed
                part.Write(zeros);
        }
        buffer.Position = 0;

        var text = XlsxData.Summarise(buffer, "bomb.xlsx", 2000);

        await Assert.That(buffer.Length).IsLessThan(1 << 20);
        await Assert.That(text).Contains("could not be read as an .xlsx workbook");
        await Assert.That(text).Contains("the limit is");
    }

    [Test]
    [Arguments("A1", 1)]
    [Arguments("Z9", 26)]
    [Arguments("AA1", 27)]
    [Arguments("AB7", 28)]
    [Arguments("XFD1048576", 16384)]
    public async Task Xlsx_ColumnOfReference(string reference, int column) => await Assert.That(XlsxData.ColumnOf(reference)).IsEqualTo(column);

    [Test]
    public async Task DecodedLength_MatchesWhatBase64Decodes()
    {
        for (var n = 0; n < 40; n++)
        {
            var encoded = Convert.ToBase64String(new byte[n]);
            await Assert.That(FileTools.DecodedLength(encoded)).IsEqualTo(n);
            await Assert.That(FileTools.DecodedLength(encoded.TrimEnd('='))).IsEqualTo(n); // unpadded: never an underestimate
        }
    }

    [Test]
    public async Task LooksLikeText_Utf8YesBinaryNo()
    {
        await Assert.That(TextFile.LooksLikeText(Encoding.UTF8.GetBytes("plain ASCII\nand ünïcödé ✓"))).IsTrue();
        await Assert.That(TextFile.LooksLikeText(Encoding.UTF8.GetBytes("cut ✓")[..^1])).IsTrue(); // a character cut at the sniff limit
        await Assert.That(TextFile.LooksLikeText([0x41, 0x00, 0x42])).IsFalse();
        await Assert.That(TextFile.LooksLikeText([0xFF, 0xFE, 0x41, 0x42])).IsFalse();
    }

    [Test]
    public async Task Range_ControlCharacters_EscapedLikeAllOutput()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("ok\u001b[31mred\u0007\n"));

        var text = await TextFile.RangeAsync(stream, stream.Length, "t.txt", 0, null, 1000, CancellationToken.None);

        await Assert.That(text).DoesNotContain("\u001b");
        await Assert.That(text).Contains("\\x1b[31mred");
    }
}
