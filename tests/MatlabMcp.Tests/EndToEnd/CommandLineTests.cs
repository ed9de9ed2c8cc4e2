using System.Diagnostics;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>A newcomer's first commands: --help and --version answer on stdout and exit 0, before any config is read.</summary>
public sealed class CommandLineTests
{
    [Test]
    [Arguments("--help")]
    [Arguments("-h")]
    [Arguments("--transport", "carrier-pigeon", "--help")] // asking for help never fails on the rest of the line
    public async Task Help_PrintsUsageAndEveryFlag_ExitsZero(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        await Assert.That(code).IsEqualTo(0);
        await Assert.That(stdout).StartsWith("matlab-mcp: ");
        foreach (var flag in new[] { "usage: matlab-mcp", "--transport", "--config", "--generate-token", "--identity", "--version" })
            await Assert.That(stdout).Contains(flag);
        await Assert.That(stderr).IsEqualTo("");
    }

    [Test]
    public async Task Version_PrintsTheServersVersion_ExitsZero()
    {
        var (code, stdout, _) = await RunAsync(["--version"]);

        await Assert.That(code).IsEqualTo(0);
        await Assert.That(stdout).Matches(@"^matlab-mcp \d+\.\d+\.\d+\n$");
    }

    [Test]
    public async Task UnknownArgument_StillFailsWithUsage()
    {
        var (code, _, stderr) = await RunAsync(["--halp"]);

        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr).Contains("unknown argument '--halp'");
        await Assert.That(stderr).Contains("--help");
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
