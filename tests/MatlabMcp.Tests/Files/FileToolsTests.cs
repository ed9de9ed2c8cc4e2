using System.Text;
using MatlabMcp.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Files;

/// <summary>
/// The session file tools end to end: the official C# SDK client spawns the real server over stdio (real Octave
/// behind it) and calls upload_file, list_files, read_file, delete_file and the session:// resources as an agent would.
/// </summary>
public sealed class FileToolsTests
{
    internal static async Task<McpClient> ConnectAsync(params (string Key, string Value)[] settings) =>
        await ServerProcess.ConnectStdioAsync(environment: settings.ToDictionary(s => $"MATLAB_MCP_{s.Key}", s => (string?)s.Value),
            clientOptions: new McpClientOptions { DiscoverProbeTimeout = ServerProcess.DiscoverProbe });

    internal static Task<CallToolResult> CallAsync(McpClient client, string tool, params (string Name, object? Value)[] args) =>
        client.CallToolAsync(tool, ServerProcess.Args(args)).AsTask();

    internal static Task<CallToolResult> UploadAsync(McpClient client, string path, byte[] content, string? session = null) =>
        CallAsync(client, "upload_file", ("path", path), ("content_base64", Convert.ToBase64String(content)), ("session", session));

    internal static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    [Test]
    public async Task Upload_List_Read_Delete_RoundTrip()
    {
        await using var client = await ConnectAsync();

        var empty = await CallAsync(client, "list_files");
        await Assert.That(Text(empty)).Contains("no files yet");

        var upload = await UploadAsync(client, "in/notes.txt", "alpha\nbeta\ngamma\n"u8.ToArray());
        await Assert.That(upload.IsError).IsNotEqualTo(true);
        await Assert.That(Text(upload)).Contains("Wrote 'in/notes.txt' (17 bytes)");
        var link = await Assert.That(upload.Content.OfType<ResourceLinkBlock>()).HasSingleItem();
        await Assert.That(link!.Uri).IsEqualTo("session://main/in/notes.txt");

        var listing = Text(await CallAsync(client, "list_files"));
        await Assert.That(listing).Contains("in/\tfolder");
        await Assert.That(Text(await CallAsync(client, "list_files", ("path", "in")))).Contains("notes.txt\tfile\t17\t");

        // The engine sees the upload where the code runs.
        var seen = await CallAsync(client, "execute_code", ("code", "disp(fileread('in/notes.txt'))"));
        await Assert.That(Text(seen)).Contains("beta");

        await Assert.That(Text(await CallAsync(client, "read_file", ("path", "in/notes.txt")))).IsEqualTo("alpha\nbeta\ngamma\n");

        var deleted = await CallAsync(client, "delete_file", ("path", "in/notes.txt"));
        await Assert.That(Text(deleted)).Contains("Deleted the file 'in/notes.txt'");
        var gone = await CallAsync(client, "read_file", ("path", "in/notes.txt"));
        await Assert.That(gone.IsError).IsTrue();
        await Assert.That(Text(gone)).Contains("does not exist");
        await Assert.That(Text(await CallAsync(client, "delete_file", ("path", "in")))).Contains("Deleted the folder 'in'");
    }

    [Test]
    public async Task Upload_OverLimit_RefusedBeforeAnythingIsWritten()
    {
        await using var client = await ConnectAsync(("OUTPUT__MAX_UPLOAD_MB", "0.001")); // 1,048 bytes

        var refused = await UploadAsync(client, "big.bin", new byte[2000]);
        var accepted = await UploadAsync(client, "small.bin", new byte[1000]);

        await Assert.That(refused.IsError).IsTrue();
        await Assert.That(Text(refused)).Contains("output.max_upload_mb");
        await Assert.That(Text(refused)).Contains("Nothing was written");
        await Assert.That(accepted.IsError).IsNotEqualTo(true);
        var listing = Text(await CallAsync(client, "list_files"));
        await Assert.That(listing).Contains("small.bin");
        await Assert.That(listing).DoesNotContain("big.bin");
        await Assert.That(listing).DoesNotContain(".upload-"); // no temporary left behind either
    }

    [Test]
    public async Task Upload_InvalidBase64_RefusedNothingWritten()
    {
        await using var client = await ConnectAsync();

        var result = await CallAsync(client, "upload_file", ("path", "x.txt"), ("content_base64", "not base64!!"));

        await Assert.That(Text(result)).Contains("not valid base64");
        await Assert.That(Text(await CallAsync(client, "list_files"))).DoesNotContain("x.txt");
    }

    [Test]
    public async Task ListFiles_PastMaxListedFiles_SaysHowManyMore()
    {
        await using var client = await ConnectAsync(("OUTPUT__MAX_LISTED_FILES", "3"));
        foreach (var name in new[] { "a.txt", "b.txt", "c.txt", "d.txt", "e.txt" })
            await UploadAsync(client, name, "x"u8.ToArray());

        var listing = Text(await CallAsync(client, "list_files"));

        await Assert.That(listing).Contains("5 entries");
        await Assert.That(listing).Contains("c.txt");
        await Assert.That(listing).DoesNotContain("d.txt");
        await Assert.That(listing).Contains("2 more");
        await Assert.That(listing).Contains("output.max_listed_files");
    }

    [Test]
    public async Task ReadFile_ByOffsetAndByPattern_WithinTheBudget()
    {
        await using var client = await ConnectAsync(("OUTPUT__MAX_OUTPUT_CHARS", "1000"));
        var lines = string.Concat(Enumerable.Range(1, 500).Select(i => $"line {i:D4} value {i * i}\n"));
        await UploadAsync(client, "log.txt", Encoding.UTF8.GetBytes(lines));

        var head = Text(await CallAsync(client, "read_file", ("path", "log.txt")));
        await Assert.That(head).StartsWith(lines[..1000]);
        await Assert.That(head).Contains("more follows: read_file with offset=1000");
        await Assert.That(head.Length).IsLessThan(1200);

        var middle = Text(await CallAsync(client, "read_file", ("path", "log.txt"), ("offset", 5000), ("length", 40)));
        await Assert.That(middle).Contains(lines.Substring(5000, 40));
        await Assert.That(middle).Contains("offset=5040");

        var tail = Text(await CallAsync(client, "read_file", ("path", "log.txt"), ("offset", lines.Length - 20)));
        await Assert.That(tail).Contains(lines[^20..]);
        await Assert.That(tail).Contains("its end");

        var found = Text(await CallAsync(client, "read_file", ("path", "log.txt"), ("pattern", @"^line 04[0-9]{2} value 1909\d+$")));
        await Assert.That(found).Contains("437: line 0437 value 190969"); // numbered like an editor shows them
        await Assert.That(found).Contains("1 of 500 lines");

        var many = Text(await CallAsync(client, "read_file", ("path", "log.txt"), ("pattern", "value")));
        await Assert.That(many.Length).IsLessThan(1200);
        await Assert.That(many).Contains("of 500 matching lines shown");
    }

    [Test]
    public async Task ReadFile_BadOrRunawayPattern_ToldWhatToDo()
    {
        await using var client = await ConnectAsync();
        await UploadAsync(client, "a.txt", Encoding.UTF8.GetBytes(new string('a', 40_000) + "!\n"));

        var invalid = await CallAsync(client, "read_file", ("path", "a.txt"), ("pattern", "(unclosed"));
        var runaway = await CallAsync(client, "read_file", ("path", "a.txt"), ("pattern", "^(a+)+$"));

        await Assert.That(Text(invalid)).Contains("not a valid regular expression");
        await Assert.That(runaway.IsError).IsTrue();
        await Assert.That(Text(runaway)).Contains("simpler pattern");
    }

    [Test]
    public async Task ReadFile_Image_ComesBackAsImageContent()
    {
        await using var client = await ConnectAsync();
        await CallAsync(client, "execute_code", ("code", "imwrite(uint8(255 * rand(20, 30, 3)), 'pic.png');"));

        var result = await CallAsync(client, "read_file", ("path", "pic.png"));

        var image = await Assert.That(result.Content.OfType<ImageContentBlock>()).HasSingleItem();
        await Assert.That(image!.MimeType).IsEqualTo("image/png");
        var bytes = image.DecodedData.ToArray();
        await Assert.That(bytes[..4]).IsEquivalentTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
        // IHDR: width and height, big-endian, at bytes 16 and 20.
        await Assert.That(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16))).IsEqualTo(30);
        await Assert.That(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))).IsEqualTo(20);
    }

    [Test]
    public async Task ReadFile_ImagePastMaxRead_RefusedNamingTheKey()
    {
        await using var client = await ConnectAsync(("OUTPUT__MAX_READ_MB", "0.0001")); // 104 bytes
        await CallAsync(client, "execute_code", ("code", "imwrite(uint8(255 * rand(20, 30, 3)), 'pic.png');"));

        var result = await CallAsync(client, "read_file", ("path", "pic.png"));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("output.max_read_mb");
    }

    [Test]
    public async Task ReadFile_Binary_BoundedBase64BlobWithOffset()
    {
        await using var client = await ConnectAsync(("OUTPUT__MAX_OUTPUT_CHARS", "400"));
        var bytes = Enumerable.Range(0, 1000).Select(i => (byte)(i % 251)).ToArray();
        bytes[0] = 0; // binary for sure
        await UploadAsync(client, "blob.bin", bytes);

        var first = await CallAsync(client, "read_file", ("path", "blob.bin"));
        var blob = await Assert.That(first.Content.OfType<EmbeddedResourceBlock>()).HasSingleItem();
        var part = ((BlobResourceContents)blob!.Resource).DecodedData.ToArray();
        await Assert.That(part.Length).IsEqualTo(300); // 400 characters of base64
        await Assert.That(part).IsEquivalentTo(bytes[..300]);
        await Assert.That(Text(first)).Contains("offset=300");

        var next = await CallAsync(client, "read_file", ("path", "blob.bin"), ("offset", 900));
        var rest = ((BlobResourceContents)next.Content.OfType<EmbeddedResourceBlock>().Single().Resource).DecodedData.ToArray();
        await Assert.That(rest).IsEquivalentTo(bytes[900..]);
        await Assert.That(Text(next)).Contains("its end");
    }

    [Test]
    public async Task Resources_OwnerReadsFiguresOutputAndUploads_MissingIsNotFound()
    {
        await using var client = await ConnectAsync();
        await UploadAsync(client, "output/run.txt", "full text"u8.ToArray());
        await CallAsync(client, "execute_code", ("code", "mkdir('figures'); imwrite(uint8(zeros(4, 5)), 'figures/f.png');"));

        var templates = await client.ListResourceTemplatesAsync();
        await Assert.That(templates.Select(t => t.UriTemplate)).Contains("session://{session}/{+path}");

        var text = await client.ReadResourceAsync("session://main/output/run.txt");
        await Assert.That(((TextResourceContents)text.Contents.Single()).Text).IsEqualTo("full text");
        var figure = (BlobResourceContents)(await client.ReadResourceAsync("session://main/figures/f.png")).Contents.Single();
        await Assert.That(figure.MimeType).IsEqualTo("image/png");
        await Assert.That(figure.DecodedData.Length).IsGreaterThan(8);

        var missing = await Assert.ThrowsAsync<McpProtocolException>(async () => await client.ReadResourceAsync("session://main/nothing.txt"));
        await Assert.That(missing!.ErrorCode).IsEqualTo(McpErrorCode.ResourceNotFound);
        var otherSession = await Assert.ThrowsAsync<McpProtocolException>(async () => await client.ReadResourceAsync("session://nosuch/output/run.txt"));
        await Assert.That(otherSession!.ErrorCode).IsEqualTo(McpErrorCode.ResourceNotFound);
    }
}
