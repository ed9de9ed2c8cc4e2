using System.Text.Json;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>The official C# SDK client spawns the built server over stdio and calls its tools.</summary>
public sealed class StdioServerTests : IAsyncDisposable
{
    private McpClient _client = null!;

    [Before(Test)]
    public async Task InitializeAsync() => _client = await ServerProcess.ConnectStdioAsync();
    public async ValueTask DisposeAsync() => await _client.DisposeAsync();

    [Test]
    public async Task ListTools_ExposesCodeAndWorkspaceToolsWithAnnotations()
    {
        var tools = await _client.ListToolsAsync();

        var execute = await Assert.That(tools).HasSingleItem(t => t.Name == "execute_code");
        var workspace = await Assert.That(tools).HasSingleItem(t => t.Name == "get_workspace");
        await Assert.That(execute.ProtocolTool.Annotations!.ReadOnlyHint).IsFalse();
        await Assert.That(execute.ProtocolTool.Annotations.DestructiveHint).IsFalse();
        await Assert.That(workspace.ProtocolTool.Annotations!.ReadOnlyHint).IsTrue();
        await Assert.That(execute.JsonSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name)).Contains("code");
    }

    [Test]
    public async Task ExecuteCode_VariablePersistsAcrossCalls()
    {
        await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "x = 42;")));

        var result = await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(x)")));

        await Assert.That(result.IsError).IsNotEqualTo(true);
        await Assert.That(Text(result)).IsEqualTo("42");
        await Assert.That(result.StructuredContent!.Value.GetProperty("status").GetString()).IsEqualTo("completed");
    }

    [Test]
    public async Task ExecuteCode_Error_IsToolErrorWithIdentifierAndEarlierOutput()
    {
        var result = await _client.CallToolAsync("execute_code",
            ServerProcess.Args(("code", "disp('partial'); undefined_function_abc(1)")));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).StartsWith("partial\n");
        await Assert.That(Text(result)).Contains("Octave:undefined-function");
        var error = result.StructuredContent!.Value.GetProperty("error");
        await Assert.That(error.GetProperty("identifier").GetString()).IsEqualTo("Octave:undefined-function");
    }

    [Test]
    public async Task ExecuteCode_PastTimeLimit_ReportsInterruptAndKeepsWorkspace()
    {
        await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "kept = 3;")));

        var result = await _client.CallToolAsync("execute_code",
            ServerProcess.Args(("code", "while true, end"), ("timeout_seconds", 0.5)));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("interrupted after");
        await Assert.That(result.StructuredContent!.Value.GetProperty("status").GetString()).IsEqualTo("timed_out");
        await Assert.That(Text(await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(kept)"))))).IsEqualTo("3");
    }

    [Test]
    public async Task GetWorkspace_ListsVariablesWithClassAndSizeButNoData()
    {
        await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "big = zeros(300, 200); name = 'abc';")));

        var result = await _client.CallToolAsync("get_workspace", new Dictionary<string, object?>());

        var variables = result.StructuredContent!.Value.GetProperty("variables").EnumerateArray().ToList();
        var big = variables.Single(v => v.GetProperty("name").GetString() == "big");
        await Assert.That(big.GetProperty("class").GetString()).IsEqualTo("double");
        await Assert.That(big.GetProperty("size").EnumerateArray().Select(e => e.GetInt32())).IsEquivalentTo([300, 200], CollectionOrdering.Matching);
        await Assert.That(big.GetProperty("bytes").GetInt64()).IsEqualTo(480000);
        await Assert.That(Text(result)).Contains("big\tdouble\t300x200");
        await Assert.That(Text(result).Length < 500).IsTrue().Because("the summary must not carry the data");
    }

    [Test]
    public async Task GetWorkspace_OfAMillionElementVariable_KeepsTheEngine_AndNeitherItNorTheSessionStartTouchAns()
    {
        // Octave writes a million as 1000000.0, which once made the frame unreadable and ended the engine; a new session
        // started with ans holding its host folder; listing the workspace set ans to the listing.
        var fresh = await _client.CallToolAsync("get_workspace", new Dictionary<string, object?>());
        await Assert.That(Text(fresh)).IsEqualTo("The workspace is empty.");
        await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "big = zeros(1e6, 1); ans = 7;")));

        var result = await _client.CallToolAsync("get_workspace", new Dictionary<string, object?>());

        await Assert.That(Text(result)).Contains("big\tdouble\t1000000x1\t8000000");
        var after = await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(ans)")));
        await Assert.That(Text(after)).IsEqualTo("7");
    }

    [Test]
    public async Task ExecuteCode_TimeoutAboveMaximum_IsRejectedWithGuidance()
    {
        var result = await _client.CallToolAsync("execute_code",
            ServerProcess.Args(("code", "disp(1)"), ("timeout_seconds", 1e9)));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("execution.max_execution_time");
    }

    [Test]
    public async Task ExecuteCode_BlockedCall_IsRejectedWithLineColumnAndNeverRuns()
    {
        var result = await _client.CallToolAsync("execute_code",
            ServerProcess.Args(("code", "fclose(fopen('policy_marker.txt', 'w'));\nx = 1; system('ls')")));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("line 2, column 8: system is blocked");
        var structured = result.StructuredContent!.Value;
        await Assert.That(structured.GetProperty("status").GetString()).IsEqualTo("rejected");
        var violation = await Assert.That(structured.GetProperty("violations").EnumerateArray().ToList()).HasSingleItem();
        await Assert.That(violation.GetProperty("subject").GetString()).IsEqualTo("system");
        await Assert.That(violation.GetProperty("line").GetInt32()).IsEqualTo(2);
        await Assert.That(violation.GetProperty("column").GetInt32()).IsEqualTo(8);
        await Assert.That(violation.GetProperty("policy").GetString()).IsEqualTo("blocked-function");
        var exists = await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(exist('policy_marker.txt', 'file'))")));
        await Assert.That(Text(exists)).IsEqualTo("0");
    }

    internal static string Text(CallToolResult result) =>
        string.Join("", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}

/// <summary>Session tools through the real server.</summary>
public sealed class StdioSessionToolTests : IAsyncDisposable
{
    private McpClient _client = null!;

    [Before(Test)]
    public async Task InitializeAsync() => _client = await ServerProcess.ConnectStdioAsync();
    public async ValueTask DisposeAsync() => await _client.DisposeAsync();

    private async Task<string> RunAsync(string code, string? session = null) =>
        StdioServerTests.Text(await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", code), ("session", session))));

    [Test]
    public async Task SessionArgument_SelectsIndependentWorkspaces_ListedByListSessions()
    {
        await RunAsync("v = 'main-value';");
        await RunAsync("v = 'b-value';", "worktree-b");

        await Assert.That(await RunAsync("disp(v)")).IsEqualTo("main-value");
        await Assert.That(await RunAsync("disp(v)", "worktree-b")).IsEqualTo("b-value");
        var list = await _client.CallToolAsync("list_sessions", new Dictionary<string, object?>());
        var names = list.StructuredContent!.Value.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("name").GetString());
        await Assert.That(names).IsEquivalentTo(new string?[] { "main", "worktree-b" }, CollectionOrdering.Matching);
    }

    [Test]
    public async Task ResetAndClose_DoWhatTheySay()
    {
        await RunAsync("v = 1;", "scratch");

        var reset = await _client.CallToolAsync("reset_session", ServerProcess.Args(("session", "scratch")));
        await Assert.That(reset.IsError).IsNotEqualTo(true);
        await Assert.That(await RunAsync("disp(exist('v'))", "scratch")).IsEqualTo("0");

        var close = await _client.CallToolAsync("close_session", ServerProcess.Args(("session", "scratch")));
        await Assert.That(close.IsError).IsNotEqualTo(true);
        var again = await _client.CallToolAsync("close_session", ServerProcess.Args(("session", "scratch")));
        await Assert.That(again.IsError).IsTrue();
        await Assert.That(StdioServerTests.Text(again)).Contains("no session named 'scratch'");
    }
}
