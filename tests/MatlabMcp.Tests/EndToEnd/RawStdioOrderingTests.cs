using System.Diagnostics;
using System.Text.Json.Nodes;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>
/// Notification order as it is on the wire: the built server is spawned and spoken to in raw JSON-RPC lines, with no
/// SDK client in between (an SDK client runs notification handlers concurrently and may drop one that it handles
/// after the response, which says nothing about what the server sent).
/// </summary>
public sealed class RawStdioOrderingTests
{
    [Test]
    public async Task ProgressAndLogNotifications_OfACall_AllPrecedeItsResponse_InOrder()
    {
        await using var server = await RawServer.StartAsync();
        await server.RequestAsync("tools/call", new JsonObject { ["name"] = "execute_code", ["arguments"] = new JsonObject { ["code"] = "1;" } });

        for (var call = 0; call < 3; call++)
        {
            var token = $"order-{call}";
            // The last report and the last line come immediately before the end: nothing left to coalesce them early.
            var code = "for k = 1:4, fprintf('line %d\\n', k); mcp_progress(k / 5, sprintf('step %d', k)); pause(0.2); end; " +
                "mcp_progress(1, 'last'); disp('done')";
            var (before, response) = await server.RequestWithNotificationsAsync("tools/call", new JsonObject
            {
                ["name"] = "execute_code",
                ["arguments"] = new JsonObject { ["code"] = code },
                ["_meta"] = new JsonObject { ["progressToken"] = token },
            });

            await Assert.That(response["error"]).IsNull();
            await Assert.That(response["result"]!["isError"]?.GetValue<bool>()).IsNotEqualTo(true);
            var progress = before.Where(n => (string?)n["method"] == "notifications/progress"
                && (string?)n["params"]!["progressToken"] == token).Select(n => n["params"]!).ToList();
            var values = progress.Select(p => p["progress"]!.GetValue<double>()).ToList();
            var seen = string.Join(" | ", progress.Select(p => $"{p["progress"]}: {p["message"]}"));
            await Assert.That(values.Zip(values.Skip(1)).All(pair => pair.Second > pair.First)).IsTrue().Because($"progress must only increase: {seen}");
            // Reports closer than the relay's interval (or made before it started) coalesce to the latest by design;
            // the final one must go out, and before the response.
            var reports = progress.Where(p => p["total"] is not null).Select(p => (string)p["message"]!).ToList();
            await Assert.That(reports.Count > 0 && reports[^1].Contains("last", StringComparison.Ordinal)).IsTrue().Because(seen);
            await Assert.That(progress.Last(p => p["total"] is not null)["progress"]!.GetValue<double>()).IsEqualTo(100).Within(0.0005);
            var printed = string.Concat(before.Where(n => (string?)n["method"] == "notifications/message")
                .Select(n => (string)n["params"]!["data"]!));
            await Assert.That(printed).IsEqualTo("line 1\nline 2\nline 3\nline 4\ndone\n");

            // Nothing of this call comes after its response: a ping answered next has no notification ahead of it.
            var (afterResponse, _) = await server.RequestWithNotificationsAsync("ping", new JsonObject());
            await Assert.That(afterResponse).DoesNotContain(n => (string?)n["params"]?["progressToken"] == token);
            await Assert.That(afterResponse).DoesNotContain(n => (string?)n["method"] == "notifications/message");
        }
    }

    /// <summary>The server over stdio, one JSON-RPC message per line each way.</summary>
    private sealed class RawServer : IAsyncDisposable
    {
        private readonly Process _process;
        private int _nextId;

        private RawServer(Process process) => _process = process;

        public static async Task<RawServer> StartAsync()
        {
            var workRoot = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "mcp-e2e")).FullName;
            var info = new ProcessStartInfo("dotnet", [Repo.ServerDll])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = false, // logs: not read, not captured
                UseShellExecute = false,
            };
            info.Environment["MATLAB_MCP_ENGINE__WORK_ROOT"] = workRoot;
            info.Environment["MATLAB_MCP_JOBS__DATABASE"] = Path.Combine(workRoot, $"jobs-{Guid.NewGuid():N}.db");
            info.Environment["MATLAB_MCP_EXECUTION__HEARTBEAT_INTERVAL"] = "0.1"; // heartbeats interleave with reports
            info.Environment["MATLAB_MCP_EXECUTION__SYNC_TIMEOUT"] = "60";
            var server = new RawServer(Process.Start(info)!);
            var (_, initialized) = await server.RequestWithNotificationsAsync("initialize", new JsonObject
            {
                ["protocolVersion"] = "2025-11-25",
                ["capabilities"] = new JsonObject(),
                ["clientInfo"] = new JsonObject { ["name"] = "raw", ["version"] = "1" },
            });
            await Assert.That(initialized["result"]).IsNotNull();
            await server.WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "notifications/initialized" });
            return server;
        }

        public async Task<JsonObject> RequestAsync(string method, JsonObject parameters) =>
            (await RequestWithNotificationsAsync(method, parameters)).Response;

        /// <summary>Sends a request and reads lines up to its response: what came before it, and the response.</summary>
        public async Task<(List<JsonObject> Before, JsonObject Response)> RequestWithNotificationsAsync(string method, JsonObject parameters)
        {
            var id = ++_nextId;
            await WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
            var before = new List<JsonObject>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (true)
            {
                var line = await _process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException("the server closed its output");
                var message = JsonNode.Parse(line)!.AsObject();
                if (message["id"] is { } got && got.GetValue<int>() == id && message["method"] is null)
                    return (before, message);
                before.Add(message);
            }
        }

        public async Task WriteAsync(JsonObject message)
        {
            await _process.StandardInput.WriteLineAsync(message.ToJsonString());
            await _process.StandardInput.FlushAsync();
        }

        public async ValueTask DisposeAsync()
        {
            _process.StandardInput.Close(); // end of input ends a stdio server
            await _process.WaitOrKillAsync(TimeSpan.FromSeconds(15));
            _process.Dispose();
        }
    }
}
