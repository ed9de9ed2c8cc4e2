using System.IO.Compression;
using System.Text;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using static MatlabMcp.Tests.Files.FileToolsTests;

namespace MatlabMcp.Tests.Files;

/// <summary>One stdio server (real Octave) for the class; read_data on each kind of data file it summarises.</summary>
public sealed class FileServerFixture : IAsyncInitializer, IAsyncDisposable
{
    public McpClient Client { get; private set; } = null!;

    public async Task InitializeAsync() => Client = await ConnectAsync(("OUTPUT__MAX_OUTPUT_CHARS", "4000"));

    public async ValueTask DisposeAsync() => await Client.DisposeAsync();
}

[ClassDataSource<FileServerFixture>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(ReadDataTests))] // one server for the class: its tests take turns
public sealed class ReadDataTests(FileServerFixture fixture)
{
    private McpClient Client => fixture.Client;

    private async Task<string> ReadDataAsync(string path, byte[] content)
    {
        var upload = await UploadAsync(Client, path, content);
        await Assert.That(upload.IsError).IsNotEqualTo(true);
        var result = await CallAsync(Client, "read_data", ("path", path));
        await Assert.That(result.IsError).IsNotEqualTo(true).Because(Text(result));
        return Text(result);
    }

    [Test]
    public async Task Csv_HeaderSizeAndFirstRows_QuotesUnderstood()
    {
        var csv = "name,value,note\n" + string.Concat(Enumerable.Range(1, 250).Select(i => $"item{i},{i * 1.5},\"a, \"\"quoted\"\"\nnote\"\n"));

        var text = await ReadDataAsync("data/items.csv", Encoding.UTF8.GetBytes(csv));

        await Assert.That(text).Contains("250 rows × 3 columns");
        await Assert.That(text).Contains("header: name | value | note");
        await Assert.That(text).Contains("item1 | 1.5 | a, \"quoted\"\nnote");
        await Assert.That(text).Contains("item10 | 15");
        await Assert.That(text).DoesNotContain("item11 |");
        await Assert.That(text).Contains("240 more rows");
    }

    [Test]
    public async Task Tsv_TabSeparated()
    {
        var text = await ReadDataAsync("t.tsv", "a\tb\n1\t2\n3\t4\n"u8.ToArray());

        await Assert.That(text).Contains("2 rows × 2 columns");
        await Assert.That(text).Contains("3 | 4");
    }

    [Test]
    public async Task Xlsx_SheetsSizesAndFirstRows()
    {
        var text = await ReadDataAsync("book.xlsx", Workbook(("Results", [["run", "score", "ok"], ["1", "0.5", "1"], ["2", "0.75", "0"]]),
            ("Empty", [])));

        await Assert.That(text).Contains("2 sheets");
        await Assert.That(text).Contains("sheet 'Results': 3 rows with data, 3 × 3");
        await Assert.That(text).Contains("1: run | score | ok");
        await Assert.That(text).Contains("3: 2 | 0.75 | FALSE");
        await Assert.That(text).Contains("sheet 'Empty': 0 rows");
    }

    [Test]
    public async Task Xlsx_NotAZip_SaysSo()
    {
        var text = await ReadDataAsync("fake.xlsx", "just text"u8.ToArray());
        await Assert.That(text).Contains("could not be read as an .xlsx workbook");
    }

    [Test]
    public async Task Json_ReindentedAndBounded()
    {
        var json = "{\"a\":[1,2,3],\"b\":{\"c\":\"d\"},\"big\":[" + string.Join(',', Enumerable.Range(0, 3000)) + "]}";

        var text = await ReadDataAsync("d.json", Encoding.UTF8.GetBytes(json));

        await Assert.That(text).Contains("an object with 3 keys");
        await Assert.That(text).Contains("\"c\": \"d\"");
        await Assert.That(text.Length).IsLessThan(4400);
        await Assert.That(text).Matches(@"\[\.\.\. [\d,]+ characters \([\d,]+ line breaks\) left out here \.\.\.\]");
    }

    [Test]
    public async Task Xml_ReindentedAndDtdRefused()
    {
        var pretty = await ReadDataAsync("d.xml", "<root><item id=\"1\">x</item><item id=\"2\"/></root>"u8.ToArray());
        await Assert.That(pretty).Contains("\n  <item id=\"1\">x</item>");

        // An entity expansion bomb is not expanded: DTDs are refused and the text shown as it is.
        var bomb = await ReadDataAsync("bomb.xml", Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><l>&b;</l>"));
        await Assert.That(bomb).Contains("not parsed as XML");
        await Assert.That(bomb).DoesNotContain("aaaaaaaaaaaaaaaaaaaa");
    }

    [Test]
    public async Task Yaml_AsText()
    {
        var text = await ReadDataAsync("c.yaml", "solver:\n  tol: 1e-6\n  steps: 40\n"u8.ToArray());
        await Assert.That(text).Contains("  steps: 40");
    }

    [Test]
    public async Task Txt_LikeReadFile()
    {
        var text = await ReadDataAsync("readme.txt", Encoding.UTF8.GetBytes(new string('z', 5000)));
        await Assert.That(text).StartsWith(new string('z', 4000));
        await Assert.That(text).Contains("offset=4000");
    }

    [Test]
    public async Task Mat_VariablesListedByTheEngine_NotLoaded()
    {
        var saved = await CallAsync(Client, "execute_code", ("code",
            "clear all; A = magic(4); s = struct('x', 1, 'y', 'two'); c = {1, 'a'}; t = 'text'; save('-v7', 'vars.mat', 'A', 's', 'c', 't'); clear all"));
        await Assert.That(saved.IsError).IsNotEqualTo(true).Because(Text(saved));

        var text = Text(await CallAsync(Client, "read_data", ("path", "vars.mat")));

        await Assert.That(text).Contains("holds 4 variables");
        await Assert.That(text).Contains("A\tdouble\t4x4\t128");
        await Assert.That(text).Contains("s\tstruct\t1x1");
        await Assert.That(text).Contains("c\tcell\t1x2");
        await Assert.That(text).Contains("t\tchar\t1x4");
        var workspace = Text(await CallAsync(Client, "get_workspace"));
        await Assert.That(workspace).Contains("empty"); // nothing was loaded into it
    }

    [Test]
    public async Task Mat_NotAMatFile_ErrorFromTheEngine()
    {
        await UploadAsync(Client, "junk.mat", [0, 1, 2, 3, 4, 5, 6, 7]);
        var result = await CallAsync(Client, "read_data", ("path", "junk.mat"));
        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("could not be read as a MAT file");
    }

    /// <summary>A minimal .xlsx package built by hand (shared strings for text, numbers inline, a boolean).</summary>
    internal static byte[] Workbook(params (string Name, string[][] Rows)[] sheets)
    {
        const string main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        const string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        var shared = new List<string>();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create))
        {
            void Write(string name, string xml)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(xml);
            }
            Write("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
            Write("xl/workbook.xml", $"<?xml version=\"1.0\"?><workbook xmlns=\"{main}\" xmlns:r=\"{rel}\"><sheets>" +
                string.Concat(sheets.Select((s, i) => $"<sheet name=\"{s.Name}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>")) + "</sheets></workbook>");
            Write("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
                string.Concat(sheets.Select((_, i) => $"<Relationship Id=\"rId{i + 1}\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>")) +
                "</Relationships>");
            for (var i = 0; i < sheets.Length; i++)
            {
                var rows = sheets[i].Rows.Select((cells, r) => $"<row r=\"{r + 1}\">" + string.Concat(cells.Select((v, c) =>
                {
                    var reference = $"{(char)('A' + c)}{r + 1}";
                    if (double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out _))
                        return c == 2 && r > 0 ? $"<c r=\"{reference}\" t=\"b\"><v>{v}</v></c>" : $"<c r=\"{reference}\"><v>{v}</v></c>";
                    shared.Add(v);
                    return $"<c r=\"{reference}\" t=\"s\"><v>{shared.Count - 1}</v></c>";
                })) + "</row>");
                Write($"xl/worksheets/sheet{i + 1}.xml", $"<?xml version=\"1.0\"?><worksheet xmlns=\"{main}\"><sheetData>{string.Concat(rows)}</sheetData></worksheet>");
            }
            Write("xl/sharedStrings.xml", $"<?xml version=\"1.0\"?><sst xmlns=\"{main}\">" +
                string.Concat(shared.Select(s => $"<si><t>{s}</t></si>")) + "</sst>");
        }
        return buffer.ToArray();
    }
}
