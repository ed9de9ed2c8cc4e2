using System.Collections.Concurrent;
using System.Text.Json;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>
/// Human approval end to end: the official SDK client spawns the real server over stdio and answers (or not) its
/// elicitation requests. The side effect under test is a folder the code would create, checked by code that needs no
/// approval. Each test runs with both the 2025-11-25 protocol (plain elicitation request) and 2026-07-28 (the SDK's
/// MRTR round trip on a live connection).
/// </summary>
public sealed class ApprovalEndToEndTests
{
    private const string Legacy = "2025-11-25";
    private const string Current = "2026-07-28";

    public static IEnumerable<string> Protocols => [Legacy, Current];

    /// <summary>A client whose person answers with <paramref name="answer"/>; every prompt is kept.</summary>
    private static async Task<(McpClient Client, ConcurrentQueue<string> Prompts)> ConnectAsync(string protocol,
        Func<CancellationToken, Task<ElicitResult>>? answer, Dictionary<string, string?>? environment = null)
    {
        var prompts = new ConcurrentQueue<string>();
        var env = new Dictionary<string, string?>
        {
            ["MATLAB_MCP_APPROVAL__MODE"] = "protected",
            ["MATLAB_MCP_APPROVAL__PROTECTED_FUNCTIONS"] = "mkdir",
        };
        foreach (var (key, value) in environment ?? [])
            env[key] = value;
        var options = new McpClientOptions { ProtocolVersion = protocol, DiscoverProbeTimeout = ServerProcess.DiscoverProbe };
        if (answer is not null)
            options.Handlers = new McpClientHandlers
            {
                ElicitationHandler = async (request, ct) =>
                {
                    prompts.Enqueue(request?.Message ?? "");
                    return await answer(ct);
                },
            };
        return (await ServerProcess.ConnectStdioAsync(environment: env, clientOptions: options), prompts);
    }

    private static ElicitResult Accept(bool approve) => new()
    {
        Action = "accept",
        Content = new Dictionary<string, JsonElement> { ["approve"] = JsonDocument.Parse(approve ? "true" : "false").RootElement },
    };

    private static Task<CallToolResult> RunAsync(McpClient client, string code) =>
        client.CallToolAsync("execute_code", ServerProcess.Args(("code", code))).AsTask();

    private static async Task<bool> FolderExistsAsync(McpClient client, string name)
    {
        var answer = Text(await RunAsync(client, $"disp(exist('{name}', 'dir'))"));
        await Assert.That(answer is "0" or "7").IsTrue().Because($"the existence check itself failed: {answer}"); // else "absent" proves nothing
        return answer == "7";
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text)).Trim();

    [Test]
    [MethodDataSource(nameof(Protocols))]
    public async Task Approval_Accepted_CodeRunsAndPromptShowsWhoWhereWhat(string protocol)
    {
        var (client, prompts) = await ConnectAsync(protocol, _ => Task.FromResult(Accept(true)));
        await using var _ = client;

        await Assert.That(client.NegotiatedProtocolVersion).IsEqualTo(protocol);
        var result = await RunAsync(client, "mkdir('approved_dir'); disp('made')");

        await Assert.That(result.IsError).IsNotEqualTo(true);
        await Assert.That(Text(result)).IsEqualTo("made");
        await Assert.That(await FolderExistsAsync(client, "approved_dir")).IsTrue();
        var prompt = await Assert.That(prompts).HasSingleItem(); // the exist() check needed no approval: protected mode asks only for mkdir
        await Assert.That(prompt).Contains("Identity: local");
        await Assert.That(prompt).Contains("Session: main");
        await Assert.That(prompt).Contains("mkdir('approved_dir')");
        await Assert.That(prompt).Contains("protected function mkdir");
    }

    [Test]
    [MethodDataSource(nameof(Protocols))]
    public async Task Approval_Declined_CodeNotRun(string protocol)
    {
        var (client, _) = await ConnectAsync(protocol, _ => Task.FromResult(new ElicitResult { Action = "decline" }));
        await using var __ = client;

        var result = await RunAsync(client, "mkdir('declined_dir')");

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("A person declined");
        await Assert.That(Text(result)).Contains("Nothing was executed");
        await Assert.That(await FolderExistsAsync(client, "declined_dir")).IsFalse();
    }

    [Test]
    public async Task Approval_AcceptedWithBoxUnticked_CodeNotRun()
    {
        var (client, _) = await ConnectAsync(Legacy, _ => Task.FromResult(Accept(false)));
        await using var __ = client;

        var result = await RunAsync(client, "mkdir('unticked_dir')");

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(await FolderExistsAsync(client, "unticked_dir")).IsFalse();
    }

    [Test]
    [MethodDataSource(nameof(Protocols))]
    public async Task Approval_Unanswered_TimesOutAndCodeNotRun(string protocol)
    {
        // The person answers "yes" only after the 1 s limit: too late, the code must not run.
        var (client, _) = await ConnectAsync(protocol, async ct =>
            {
                await Task.Delay(TimeSpan.FromSeconds(3), ct);
                return Accept(true);
            },
            new() { ["MATLAB_MCP_APPROVAL__TIMEOUT_SECONDS"] = "1" });
        await using var __ = client;

        var result = await RunAsync(client, "mkdir('late_dir')");

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("Nobody answered the approval request within 1 s");
        await Assert.That(await FolderExistsAsync(client, "late_dir")).IsFalse();
    }

    [Test]
    [MethodDataSource(nameof(Protocols))]
    public async Task Approval_ClientWithoutElicitation_ClearErrorAndNotRun(string protocol)
    {
        var (client, _) = await ConnectAsync(protocol, answer: null);
        await using var __ = client;

        var result = await RunAsync(client, "mkdir('unsupported_dir')");

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("your MCP client cannot show approval requests");
        await Assert.That(await FolderExistsAsync(client, "unsupported_dir")).IsFalse();
    }

    [Test]
    public async Task Audit_RecordsExecutedRejectedAndDenied_ForAdmin()
    {
        var answers = new ConcurrentQueue<ElicitResult>([Accept(true), new ElicitResult { Action = "decline" }]);
        var (client, _) = await ConnectAsync(Legacy, _ => Task.FromResult(answers.TryDequeue(out var a) ? a : new ElicitResult { Action = "cancel" }));
        await using var __ = client;

        await RunAsync(client, "mkdir('audit_ok'); % approved");
        await RunAsync(client, "mkdir('audit_no'); % declined");
        await RunAsync(client, "system('ls')");

        JsonElement rows = default;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var result = await client.CallToolAsync("query_audit", ServerProcess.Args(("limit", 10)));
            await Assert.That(result.IsError).IsNotEqualTo(true);
            rows = result.StructuredContent!.Value.GetProperty("entries");
            if (rows.EnumerateArray().Any(r => r.GetProperty("outcome").ValueKind == JsonValueKind.String))
                break;
            await Task.Delay(100); // the outcome is filled in just after the job completes
        }
        var byDecision = rows.EnumerateArray().ToDictionary(r => r.GetProperty("decision").GetString()!);
        var executed = byDecision["executed"];
        await Assert.That(executed.GetProperty("outcome").GetString()).IsEqualTo("completed");
        await Assert.That(executed.GetProperty("job_id").GetString()).StartsWith("job-");
        await Assert.That(executed.GetProperty("detail").GetString()).Contains("approved by a person");
        await Assert.That(executed.GetProperty("identity").GetString()).IsEqualTo("local");
        await Assert.That(executed.GetProperty("session").GetString()).IsEqualTo("main");
        await Assert.That(executed.GetProperty("code_sha256").GetString()!.Length).IsEqualTo(64);
        await Assert.That(executed.GetProperty("code_excerpt").GetString()).Contains("audit_ok");
        await Assert.That(byDecision["denied_by_person"].GetProperty("code_excerpt").GetString()).Contains("audit_no");
        var rejected = byDecision["rejected_by_policy"];
        await Assert.That(rejected.GetProperty("detail").GetString()).Contains("blocked-function:system");
        await Assert.That(rejected.GetProperty("job_id").ValueKind).IsEqualTo(JsonValueKind.Null);
    }

    [Test]
    public async Task QueryAudit_NotAnAdmin_Refused()
    {
        var (client, _) = await ConnectAsync(Legacy, null, new() { ["MATLAB_MCP_AUDIT__ADMIN_IDENTITIES"] = "alice" });
        await using var __ = client;
        await RunAsync(client, "x = 1;");

        var result = await client.CallToolAsync("query_audit", ServerProcess.Args());

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("not an administrator");
        await Assert.That(Text(result)).DoesNotContain("x = 1");
    }

    [Test]
    public async Task ListTools_QueryAuditHasExplicitAnnotations()
    {
        var (client, _) = await ConnectAsync(Legacy, null);
        await using var __ = client;

        var tool = await Assert.That(await client.ListToolsAsync()).HasSingleItem(t => t.Name == "query_audit");

        var annotations = tool.ProtocolTool.Annotations!;
        await Assert.That(annotations.ReadOnlyHint).IsTrue();
        await Assert.That(annotations.DestructiveHint).IsFalse();
        await Assert.That(annotations.IdempotentHint).IsTrue();
        await Assert.That(annotations.OpenWorldHint).IsFalse();
    }
}
