using System.Diagnostics;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>A newcomer's first commands: --help and --version answer on stdout and exit 0, before any config is read.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--transport", "carrier-pigeon", "--help")] // asking for help never fails on the rest of the line
    public async Task Help_PrintsUsageAndEveryFlag_ExitsZero(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        Assert.Equal(0, code);
        Assert.StartsWith("matlab-mcp: ", stdout);
        foreach (var flag in new[] { "usage: matlab-mcp", "--transport", "--config", "--generate-token", "--identity", "--version" })
            Assert.Contains(flag, stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task Version_PrintsTheServersVersion_ExitsZero()
    {
        var (code, stdout, _) = await RunAsync(["--version"]);

        Assert.Equal(0, code);
        Assert.Matches(@"^matlab-mcp \d+\.\d+\.\d+\n$", stdout);
    }

    [Fact]
    public async Task UnknownArgument_StillFailsWithUsage()
    {
        var (code, _, stderr) = await RunAsync(["--halp"]);

        Assert.Equal(2, code);
        Assert.Contains("unknown argument '--halp'", stderr);
        Assert.Contains("--help", stderr);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Repo.ServerDll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        // A config that would fail to load proves help is answered before configuration is read.
        info.Environment["MATLAB_MCP_CONFIG"] = "/nonexistent/matlab-mcp.yaml";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
