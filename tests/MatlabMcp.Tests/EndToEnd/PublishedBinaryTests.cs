using System.Diagnostics;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>Runs alone: a fresh publish keeps both cores busy for ~15 s, which skews tests that time real engines.</summary>
[CollectionDefinition("publish", DisableParallelization = true)]
public sealed class PublishCollection;

/// <summary>publish.sh produces a self-contained binary that serves MCP without the dotnet host.</summary>
[Collection("publish")]
public sealed class PublishedBinaryTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("mcp-publish-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public async Task PublishedBinary_AnswersInitializeToolsListAndExecuteCode()
    {
        var publish = Process.Start(new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "publish.sh"), "--output", _output])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var stderr = publish.StandardError.ReadToEndAsync();
        var binary = (await publish.StandardOutput.ReadToEndAsync()).Trim();
        await publish.WaitForExitAsync();
        Assert.True(publish.ExitCode == 0, $"publish.sh failed: {await stderr}");
        Assert.True(File.Exists(binary), binary);

        await using var client = await ServerProcess.ConnectStdioAsync(binary, []);
        var tools = await client.ListToolsAsync();
        var result = await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(version())")));

        Assert.Equal("matlab-mcp", client.ServerInfo?.Name);
        Assert.Contains(tools, t => t.Name == "execute_code");
        Assert.NotEqual(true, result.IsError);
        Assert.Matches(@"^\d+\.\d+\.\d+$", StdioServerTests.Text(result));
    }
}
