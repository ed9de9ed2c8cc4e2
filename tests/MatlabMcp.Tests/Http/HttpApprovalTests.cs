using System.Collections.Concurrent;
using System.Text.Json;
using MatlabMcp.Security;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Http;

/// <summary>
/// Approval over HTTP with the SDK client: stateful sessions (2025-11-25) use a plain elicitation request on the
/// POST's stream; stateless 2026-07-28 calls cannot, so the server answers input-required and the client retries
/// with the person's answer (MRTR). The identity shown to the person is the bearer token's.
/// </summary>
public sealed class HttpApprovalTests : IAsyncDisposable
{
    private const string Stateful = "2025-11-25";
    private const string Stateless = "2026-07-28";

    private readonly string _folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, $"tokens-{Guid.NewGuid():N}")).FullName;
    private readonly string _token = BearerTokens.NewToken();
    private HttpServerProcess _server = null!;

    [Before(Test)]
    public async Task InitializeAsync()
    {
        File.SetUnixFileMode(_folder, (UnixFileMode)0b111_101_101);
        var tokens = Path.Combine(_folder, "tokens");
        await File.WriteAllTextAsync(tokens, $"carol:{BearerTokens.HashHex(_token)}\n");
        File.SetUnixFileMode(tokens, (UnixFileMode)0b110_100_100);
        _server = await HttpServerProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["MATLAB_MCP_AUTH__TOKENS_FILE"] = tokens,
            ["MATLAB_MCP_APPROVAL__MODE"] = "protected",
            ["MATLAB_MCP_APPROVAL__PROTECTED_FUNCTIONS"] = "mkdir",
            ["MATLAB_MCP_AUDIT__ADMIN_IDENTITIES"] = "carol",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<McpClient> ConnectAsync(string protocol, ConcurrentQueue<string> prompts, Func<ElicitResult>? answer)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = _server.Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {_token}" },
        });
        var options = new McpClientOptions { ProtocolVersion = protocol, DiscoverProbeTimeout = ServerProcess.DiscoverProbe };
        if (answer is not null)
            options.Handlers = new McpClientHandlers
            {
                ElicitationHandler = (request, _) =>
                {
                    prompts.Enqueue(request?.Message ?? "");
                    return ValueTask.FromResult(answer());
                },
            };
        return McpClient.CreateAsync(transport, options);
    }

    private static ElicitResult Approve() => new()
    {
        Action = "accept",
        Content = new Dictionary<string, JsonElement> { ["approve"] = JsonDocument.Parse("true").RootElement },
    };

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text)).Trim();

    private static async Task<string> RunAsync(McpClient client, string code, string session)
    {
        var result = await client.CallToolAsync("execute_code", ServerProcess.Args(("code", code), ("session", session)));
        return (result.IsError == true ? "error: " : "") + Text(result);
    }

    [Test]
    [Arguments(Stateful)]
    [Arguments(Stateless)]
    public async Task Approval_Accepted_RunsAndPromptNamesTheTokenIdentity(string protocol)
    {
        var prompts = new ConcurrentQueue<string>();
        await using var client = await ConnectAsync(protocol, prompts, Approve);
        var session = $"s{protocol[..4]}a";

        await Assert.That(await RunAsync(client, "mkdir('ok_dir'); disp('made')", session)).IsEqualTo("made");
        await Assert.That(await RunAsync(client, "disp(exist('ok_dir', 'dir'))", session)).IsEqualTo("7");
        var prompt = await Assert.That(prompts).HasSingleItem();
        await Assert.That(prompt).Contains("Identity: carol");
        await Assert.That(prompt).Contains($"Session: {session}");
    }

    [Test]
    [Arguments(Stateful)]
    [Arguments(Stateless)]
    public async Task Approval_Declined_NotRunAndAudited(string protocol)
    {
        var prompts = new ConcurrentQueue<string>();
        await using var client = await ConnectAsync(protocol, prompts, () => new ElicitResult { Action = "decline" });
        var session = $"s{protocol[..4]}d";

        var result = await RunAsync(client, $"mkdir('no_dir_{protocol[..4]}')", session);

        await Assert.That(result).StartsWith("error: A person declined");
        await Assert.That(await RunAsync(client, $"disp(exist('no_dir_{protocol[..4]}', 'dir'))", session)).IsEqualTo("0");
        var audit = await client.CallToolAsync("query_audit", ServerProcess.Args(("decision", "denied_by_person")));
        await Assert.That(audit.StructuredContent!.Value.GetProperty("entries").EnumerateArray()).Contains(r => r.GetProperty("code_excerpt").GetString()!.Contains($"no_dir_{protocol[..4]}") && r.GetProperty("identity").GetString() == "carol");
    }

    [Test]
    [Arguments(Stateful)]
    [Arguments(Stateless)]
    public async Task Approval_ClientWithoutElicitation_ClearErrorAndNotRun(string protocol)
    {
        await using var client = await ConnectAsync(protocol, new(), answer: null);
        var session = $"s{protocol[..4]}u";

        var result = await RunAsync(client, "mkdir('unsupported_dir')", session);

        await Assert.That(result).StartsWith("error: ");
        await Assert.That(result).Contains("cannot show approval requests");
        await Assert.That(await RunAsync(client, "disp(exist('unsupported_dir', 'dir'))", session)).IsEqualTo("0");
    }
}
