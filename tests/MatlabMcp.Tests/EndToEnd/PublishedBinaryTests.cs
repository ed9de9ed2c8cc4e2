using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MatlabMcp.Security;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>
/// The Native AOT binary run.sh starts (published by publish.sh on first use, again only when a source changed) serves
/// MCP over stdio and Streamable HTTP without the dotnet host, and run.sh keeps stdout for the protocol meanwhile.
/// </summary>
[NotInParallel] // alone: a fresh publish keeps both cores busy for minutes, which skews tests that time real engines
public sealed class PublishedBinaryTests
{
    private static readonly Lazy<Task<string>> Binary = new(BuildAsync);

    [Test]
    public async Task AotBinary_OverStdio_AnswersInitializeToolsListAndExecuteCode()
    {
        await using var client = await ServerProcess.ConnectStdioAsync(await Binary.Value, []);
        await AssertServesAsync(client);
    }

    [Test]
    public async Task AotBinary_OverHttp_AnswersInitializeToolsListAndExecuteCode()
    {
        var token = BearerTokens.NewToken();
        var workRoot = Directory.CreateTempSubdirectory("mcp-aot-http-").FullName;
        File.SetUnixFileMode(workRoot, (UnixFileMode)0b111_101_101); // engines may run as another user
        var port = FreePort();
        var info = new ProcessStartInfo(await Binary.Value, ["--transport", "http", "--port", $"{port}"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            Environment =
            {
                [BearerTokens.EnvironmentVariable] = token,
                ["MATLAB_MCP_ENGINE__WORK_ROOT"] = workRoot,
                ["MATLAB_MCP_JOBS__DATABASE"] = Path.Combine(workRoot, "jobs.db"),
            },
        };
        using var server = Process.Start(info)!;
        var stderr = server.StandardError.ReadToEndAsync();
        try
        {
            await using var client = await ConnectHttpAsync(new Uri($"http://127.0.0.1:{port}/mcp"), token, server);
            await AssertServesAsync(client);
        }
        catch (Exception e) when (server.HasExited)
        {
            throw new InvalidOperationException($"the AOT server exited ({server.ExitCode}): {await stderr}", e);
        }
        finally
        {
            if (!server.HasExited)
                Process.Start("kill", ["-TERM", $"{server.Id}"]).WaitForExit(); // a clean stop removes its folders
            await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Directory.Delete(workRoot, recursive: true);
        }
    }

    [Test]
    public async Task AotBinary_BindsConfigKeys_AndNamesABadValue()
    {
        // Reflection over the options once read nothing under AOT; the cross-key message proves both values were bound.
        var info = new ProcessStartInfo(await Binary.Value)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            Environment =
            {
                ["MATLAB_MCP_ENGINE__KIND"] = "bogus",
                ["MATLAB_MCP_POOL__MAX_ENGINES"] = "2",
                ["MATLAB_MCP_POOL__MIN_ENGINES"] = "5",
            },
        };
        using var server = Process.Start(info)!;
        server.StandardInput.Close();
        var stderr = await server.StandardError.ReadToEndAsync();
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));

        await Assert.That(server.ExitCode).IsEqualTo(2);
        await Assert.That(stderr).Contains("engine.kind must be \"octave\" or \"matlab\", not \"bogus\".");
        await Assert.That(stderr).Contains("pool.min_engines (5) must not exceed pool.max_engines (2).");
    }

    private static async Task AssertServesAsync(McpClient client)
    {
        var tools = await client.ListToolsAsync();
        var result = await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(version())")));

        await Assert.That(client.ServerInfo?.Name).IsEqualTo("matlab-mcp");
        await Assert.That(tools.Select(t => t.Name)).Contains("execute_code");
        await Assert.That(result.IsError).IsNotEqualTo(true);
        await Assert.That(StdioServerTests.Text(result)).Matches(@"^\d+\.\d+\.\d+$");
    }

    /// <summary>
    /// run.sh --version: publishes the AOT binary when it is missing or stale, then runs it. Its stdout must be the version
    /// line alone, build or not (a client spawning run.sh reads MCP frames there).
    /// </summary>
    private static async Task<string> BuildAsync()
    {
        using var run = Process.Start(new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "run.sh"), "--version"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var stderr = run.StandardError.ReadToEndAsync();
        var stdout = await run.StandardOutput.ReadToEndAsync();
        await run.WaitForExitAsync();
        await Assert.That(run.ExitCode).IsEqualTo(0).Because($"run.sh --version failed: {await stderr}");
        await Assert.That(stdout).Matches(@"^matlab-mcp \d+\.\d+\.\d+\n$");
        var binary = Path.Combine(Repo.Root, "bin", "aot", "current", "matlab-mcp");
        await Assert.That(File.Exists(binary)).IsTrue().Because($"run.sh built no AOT binary at {binary}: {await stderr}");
        await Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(binary)!, "matlab", "mcp_bridge.m"))).IsTrue().Because("matlab/ must sit beside the binary");
        await Assert.That(File.Exists(binary + ".dbg")).IsFalse().Because("the debug symbols are not shipped");
        return binary;
    }

    private static async Task<McpClient> ConnectHttpAsync(Uri endpoint, string token, Process server)
    {
        // Ready when it answers: the port is ours, so a refused connection means "not listening yet".
        var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
        while (true)
        {
            try
            {
                return await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
                {
                    Endpoint = endpoint,
                    TransportMode = HttpTransportMode.StreamableHttp,
                    AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
                }));
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError && !server.HasExited
                && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
