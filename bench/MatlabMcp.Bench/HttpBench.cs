using System.Diagnostics;
using System.Text.RegularExpressions;
using MatlabMcp.Security;
using ModelContextProtocol.Client;

namespace MatlabMcp.Bench;

/// <summary>
/// The same trivial call over Streamable HTTP (loopback, bearer auth on), in both protocol modes, and the
/// throughput of several clients each driving its own session (so its own engine) at once.
/// </summary>
internal static partial class HttpBench
{
    public static async Task<(List<Stats> Latency, string Throughput)> RunAsync(string serverDll, int calls, int warmup, int clients, double seconds)
    {
        var token = BearerTokens.NewToken();
        var scratch = Directory.CreateTempSubdirectory("mcp-bench-http-").FullName;
        File.SetUnixFileMode(scratch, (UnixFileMode)0b111_101_101); // engines may run as another user (sandbox.engine_user)
        using var server = Process.Start(new ProcessStartInfo("dotnet", [serverDll, "--transport", "http", "--port", "0"])
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
            Environment =
            {
                [BearerTokens.EnvironmentVariable] = token,
                // One engine and one session per client, plus the default session the latency runs use.
                ["MATLAB_MCP_POOL__MAX_ENGINES"] = $"{clients + 2}",
                ["MATLAB_MCP_SESSIONS__MAX_PER_IDENTITY"] = $"{clients + 1}",
                ["MATLAB_MCP_ENGINE__WORK_ROOT"] = scratch,
                ["MATLAB_MCP_JOBS__DATABASE"] = Path.Combine(scratch, "jobs.db"),
            },
        })!;
        try
        {
            var endpoint = await EndpointAsync(server);
            var latency = new List<Stats>
            {
                await LatencyAsync(endpoint, token, "2025-11-25", calls, warmup, "http execute_code (2025-11-25, session)"),
                await LatencyAsync(endpoint, token, null, calls, warmup, "http execute_code (2026-07-28, stateless)"),
            };
            var throughput = await ThroughputAsync(server, endpoint, token, "2025-11-25", clients, seconds) + "\n" +
                await ThroughputAsync(server, endpoint, token, null, clients, seconds);
            return (latency, throughput);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task<Stats> LatencyAsync(Uri endpoint, string token, string? protocolVersion, int calls, int warmup, string name)
    {
        await using var client = await ConnectAsync(endpoint, token, protocolVersion);
        await TrivialCalls.WarmUpAsync(client, warmup);
        return await TrivialCalls.TimeAsync(client, calls, name);
    }

    /// <summary>Calls per second, and the CPU time per call of server, engines and client (steadier than the rate here).</summary>
    private static async Task<string> ThroughputAsync(Process server, Uri endpoint, string token, string? protocolVersion, int clients,
        double seconds)
    {
        var connected = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => ConnectAsync(endpoint, token, protocolVersion)));
        try
        {
            var arguments = Enumerable.Range(0, clients)
                .Select(i => new Dictionary<string, object?> { ["code"] = "y = 1;", ["session"] = $"bench{i}" }).ToArray();
            for (var i = 0; i < clients; i++)
                for (var k = 0; k < 50; k++)
                    await connected[i].CallToolAsync("execute_code", arguments[i]); // starts each session's engine
            var meter = CpuMeter.Start(server.Id);
            var start = Stopwatch.GetTimestamp();
            var stop = start + (long)(seconds * Stopwatch.Frequency);
            var (done, failed) = (0, 0);
            await Task.WhenAll(connected.Select(async (client, i) =>
            {
                while (Stopwatch.GetTimestamp() < stop)
                    if ((await client.CallToolAsync("execute_code", arguments[i])).IsError == true)
                        Interlocked.Increment(ref failed); // a refused call ("server busy") is fast: it must not count as throughput
                    else
                        Interlocked.Increment(ref done);
            }));
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            return $"http throughput ({protocolVersion ?? "2026-07-28, stateless"}), {clients} clients, one session each, {elapsed:0.#} s: " +
                $"{done / elapsed:0} calls/s ({failed} failed), {meter?.PerCall(done)}";
        }
        finally
        {
            foreach (var client in connected)
                await client.DisposeAsync();
        }
    }

    private static Task<McpClient> ConnectAsync(Uri endpoint, string token, string? protocolVersion) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        }), new McpClientOptions { ProtocolVersion = protocolVersion });

    private static async Task<Uri> EndpointAsync(Process server)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await server.StandardError.ReadLineAsync(timeout.Token) is { } line)
            if (EndpointLine().Match(line) is { Success: true } match)
            {
                _ = server.StandardError.ReadToEndAsync(); // keep draining so the server never blocks on stderr
                return new Uri(match.Groups[1].Value);
            }
        throw new InvalidOperationException("the HTTP server exited before listening");
    }

    [GeneratedRegex(@"MCP endpoint (\S+)")]
    private static partial Regex EndpointLine();
}
