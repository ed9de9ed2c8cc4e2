using System.Diagnostics;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>publish.sh produces a self-contained binary that serves MCP without the dotnet host.</summary>
// Runs alone: a fresh publish keeps both cores busy for ~15 s, which skews tests that time real engines.
[NotInParallel]
public sealed class PublishedBinaryTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("mcp-publish-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Test]
    public async Task PublishedBinary_AnswersInitializeToolsListAndExecuteCode()
    {
        var publish = Process.Start(new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "publish.sh"), "--output", _output])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var stderr = publish.StandardError.ReadToEndAsync();
        var binary = (await publish.StandardOutput.ReadToEndAsync()).Trim();
        await publish.WaitForExitAsync();
        await Assert.That(publish.ExitCode == 0).IsTrue().Because($"publish.sh failed: {await stderr}");
        await Assert.That(File.Exists(binary)).IsTrue().Because(binary);

        await using var client = await ServerProcess.ConnectStdioAsync(binary, []);
        var tools = await client.ListToolsAsync();
        var result = await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(version())")));

        await Assert.That(client.ServerInfo?.Name).IsEqualTo("matlab-mcp");
        await Assert.That(tools).Contains(t => t.Name == "execute_code");
        await Assert.That(result.IsError).IsNotEqualTo(true);
        await Assert.That(StdioServerTests.Text(result)).Matches(@"^\d+\.\d+\.\d+$");
    }
}
