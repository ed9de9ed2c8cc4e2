using MatlabMcp.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using static MatlabMcp.Tests.Files.FileToolsTests;

namespace MatlabMcp.Tests.Files;

/// <summary>
/// Every file tool refuses paths that leave the session folder, links the engine planted that lead out, device names,
/// control characters and overlong paths, with a message that says what is allowed. Run with the code policy and the
/// engine sandbox each on and off: the file tools must hold on their own, not because something else stopped the engine.
/// </summary>
public sealed class FileRefusalTests
{
    private static readonly string[] TextRefusals =
    [
        "../escape.txt", "/etc/passwd", "a/../../etc/passwd", "nul\0.txt", "tab\tname.txt", "esc\u001b[2J.txt", "CON", "aux.csv",
        "dir\\file.txt", "a//b.txt", "./x.txt", ".hidden", string.Join('/', Enumerable.Repeat("deep", 13)), new string('n', 600),
    ];

    // Planted by the engine: links out (absolute, relative, chained, a folder), and a FIFO that would block an open.
    private const string Plant = "symlink('/etc/passwd', 'pw'); symlink('pw', 'chain'); symlink('..', 'up'); " +
        "symlink('/etc', 'etcdir'); mkfifo('fifo', 600); disp('planted')";

    private static readonly string[] LinksOut = ["pw", "chain", "up/escape.txt", "etcdir/passwd", "etcdir/hostname"];

    [Test]
    [Arguments(true, true)]
    [Arguments(false, false)]
    [Arguments(true, false)]
    [Arguments(false, true)]
    public async Task EveryTool_RefusesPathsAndLinksLeavingTheFolder(bool sandbox, bool codePolicy)
    {
        var passwd = await File.ReadAllTextAsync("/etc/passwd");
        await using var client = await ConnectAsync(("SANDBOX__ENABLED", sandbox ? "true" : "false"),
            ("CODE_POLICY__ENABLED", codePolicy ? "true" : "false"));
        var planted = await CallAsync(client, "execute_code", ("code", Plant));
        await Assert.That(Text(planted)).Contains("planted");

        foreach (var path in TextRefusals)
        {
            foreach (var tool in new[] { "read_file", "read_data", "delete_file" })
                await AssertRefusedAsync(await CallAsync(client, tool, ("path", path)), path, tool);
            await AssertRefusedAsync(await UploadAsync(client, path, "x"u8.ToArray()), path, "upload_file");
            var reason = Text(await CallAsync(client, "read_file", ("path", path)));
            await Assert.That(reason.Contains("relative to your session folder", StringComparison.Ordinal) || reason.Contains("letter or digit", StringComparison.Ordinal)
                || reason.Contains("device name", StringComparison.Ordinal) || reason.Contains("limit", StringComparison.Ordinal)
                || reason.Contains("empty part", StringComparison.Ordinal)).IsTrue().Because($"the refusal of {Escape(path)} should say what is allowed: {reason}");
        }
        foreach (var path in LinksOut)
        {
            foreach (var tool in new[] { "read_file", "read_data" })
            {
                var result = await CallAsync(client, tool, ("path", path));
                await AssertRefusedAsync(result, path, tool);
                await Assert.That(Text(result)).Contains("outside your session folder");
            }
            await AssertRefusedAsync(await UploadAsync(client, path, "owned\n"u8.ToArray()), path, "upload_file");
            await Assert.That(await Assert.ThrowsAsync<McpProtocolException>(async () =>
                await client.ReadResourceAsync($"session://main/{path}"))).IsNotNull();
        }
        await AssertRefusedAsync(await CallAsync(client, "delete_file", ("path", "etcdir/hostname")), "etcdir/hostname", "delete_file");
        await AssertRefusedAsync(await CallAsync(client, "list_files", ("path", "etcdir")), "etcdir", "list_files");
        await AssertRefusedAsync(await CallAsync(client, "list_files", ("path", "up")), "up", "list_files");

        var fifo = await CallAsync(client, "read_file", ("path", "fifo")).WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.That(Text(fifo)).Contains("not a regular file");

        // Deleting a link removes the link, never what it points to; the host files are as they were.
        await Assert.That(Text(await CallAsync(client, "delete_file", ("path", "pw")))).Contains("Deleted the link 'pw'");
        await Assert.That(await File.ReadAllTextAsync("/etc/passwd")).IsEqualTo(passwd);
        await Assert.That(File.Exists("/etc/hostname")).IsTrue();
        await Assert.That(File.Exists("/escape.txt")).IsFalse();
    }

    private static async Task AssertRefusedAsync(ModelContextProtocol.Protocol.CallToolResult result, string path, string tool)
    {
        await Assert.That(result.IsError).IsTrue().Because($"{tool} should refuse {Escape(path)}: {Text(result)}");
        await Assert.That(Text(result)).DoesNotContain("root:x:0:0").Because($"{tool} on {Escape(path)} leaked /etc/passwd");
        await Assert.That(Text(result)).DoesNotContain("\u001b").Because("control characters are escaped in messages");
    }

    private static string Escape(string path) => path.Length > 40 ? path[..40] + "…" : path.Replace("\0", "\\0", StringComparison.Ordinal);
}
