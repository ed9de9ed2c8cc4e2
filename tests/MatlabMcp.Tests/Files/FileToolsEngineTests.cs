using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Files;

/// <summary>File tools need a folder, not an engine: only read_data on a .mat file starts one.</summary>
public sealed class FileToolsEngineTests
{
    [Test]
    public async Task FileTools_StartNoEngine_ExceptReadDataOnMat()
    {
        var database = Path.Combine(Path.GetTempPath(), "mcp-e2e", $"jobs-{Guid.NewGuid():N}.db");
        await using var client = await FileToolsTests.ConnectAsync(("POOL__MIN_ENGINES", "0"), ("POOL__SPARE_ENGINES", "0"), ("JOBS__DATABASE", database));
        var server = ProcessTree.FindServer(database);

        await FileToolsTests.UploadAsync(client, "d.csv", "a,b\n1,2\n"u8.ToArray());
        await FileToolsTests.CallAsync(client, "list_files");
        await FileToolsTests.CallAsync(client, "read_file", ("path", "d.csv"));
        await FileToolsTests.CallAsync(client, "read_data", ("path", "d.csv"));
        await FileToolsTests.CallAsync(client, "delete_file", ("path", "d.csv"));
        await Assert.That(ProcessTree.Descendants(server)).IsEmpty();

        await FileToolsTests.UploadAsync(client, "x.mat", [1, 2, 3]);
        await FileToolsTests.CallAsync(client, "read_data", ("path", "x.mat"));
        await Assert.That(ProcessTree.Descendants(server)).IsNotEmpty();
    }
}
