using System.Text.Json;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>The official C# SDK client spawns the built server over stdio and calls its tools.</summary>
public sealed class StdioServerTests : IAsyncLifetime
{
    private McpClient _client = null!;

    public async Task InitializeAsync() => _client = await ServerProcess.ConnectStdioAsync();
    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task ListTools_ExposesCodeAndWorkspaceToolsWithAnnotations()
    {
        var tools = await _client.ListToolsAsync();

        var execute = Assert.Single(tools, t => t.Name == "execute_code");
        var workspace = Assert.Single(tools, t => t.Name == "get_workspace");
        Assert.False(execute.ProtocolTool.Annotations!.ReadOnlyHint);
        Assert.False(execute.ProtocolTool.Annotations.DestructiveHint);
        Assert.True(workspace.ProtocolTool.Annotations!.ReadOnlyHint);
        Assert.Contains("code", execute.JsonSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ExecuteCode_VariablePersistsAcrossCalls()
    {
        await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "x = 42;")));

        var result = await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(x)")));

        Assert.NotEqual(true, result.IsError);
        Assert.Equal("42", Text(result));
        Assert.Equal("completed", result.StructuredContent!.Value.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ExecuteCode_Error_IsToolErrorWithIdentifierAndEarlierOutput()
    {
        var result = await _client.CallToolAsync("execute_code",
            ServerProcess.Args(("code", "disp('partial'); undefined_function_abc(1)")));

        Assert.True(result.IsError);
        Assert.StartsWith("partial\n", Text(result));
        Assert.Contains("Octave:undefined-function", Text(result));
        var error = result.StructuredContent!.Value.GetProperty("error");
        Assert.Equal("Octave:undefined-function", error.GetProperty("identifier").GetString());
    }

    [Fact]
    public async Task ExecuteCode_PastTimeLimit_ReportsInterruptAndKeepsWorkspace()
    {
        await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "kept = 3;")));

        var result = await _client.CallToolAsync("execute_code",
            ServerProcess.Args(("code", "while true, end"), ("timeout_seconds", 0.5)));

        Assert.True(result.IsError);
        Assert.Contains("interrupted after", Text(result));
        Assert.Equal("timed_out", result.StructuredContent!.Value.GetProperty("status").GetString());
        Assert.Equal("3", Text(await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(kept)")))));
    }

    [Fact]
    public async Task GetWorkspace_ListsVariablesWithClassAndSizeButNoData()
    {
        await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "big = zeros(300, 200); name = 'abc';")));

        var result = await _client.CallToolAsync("get_workspace", new Dictionary<string, object?>());

        var variables = result.StructuredContent!.Value.GetProperty("variables").EnumerateArray().ToList();
        var big = variables.Single(v => v.GetProperty("name").GetString() == "big");
        Assert.Equal("double", big.GetProperty("class").GetString());
        Assert.Equal([300, 200], big.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(480000, big.GetProperty("bytes").GetInt64());
        Assert.Contains("big\tdouble\t300x200", Text(result));
        Assert.True(Text(result).Length < 500, "the summary must not carry the data");
    }

    [Fact]
    public async Task ExecuteCode_TimeoutAboveMaximum_IsRejectedWithGuidance()
    {
        var result = await _client.CallToolAsync("execute_code",
            ServerProcess.Args(("code", "disp(1)"), ("timeout_seconds", 1e9)));

        Assert.True(result.IsError);
        Assert.Contains("execution.max_execution_time", Text(result));
    }

    [Fact]
    public async Task ExecuteCode_BlockedCall_IsRejectedWithLineColumnAndNeverRuns()
    {
        var result = await _client.CallToolAsync("execute_code",
            ServerProcess.Args(("code", "fclose(fopen('policy_marker.txt', 'w'));\nx = 1; system('ls')")));

        Assert.True(result.IsError);
        Assert.Contains("line 2, column 8: system is blocked", Text(result));
        var structured = result.StructuredContent!.Value;
        Assert.Equal("rejected", structured.GetProperty("status").GetString());
        var violation = Assert.Single(structured.GetProperty("violations").EnumerateArray().ToList());
        Assert.Equal("system", violation.GetProperty("subject").GetString());
        Assert.Equal(2, violation.GetProperty("line").GetInt32());
        Assert.Equal(8, violation.GetProperty("column").GetInt32());
        Assert.Equal("blocked-function", violation.GetProperty("policy").GetString());
        var exists = await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(exist('policy_marker.txt', 'file'))")));
        Assert.Equal("0", Text(exists));
    }

    internal static string Text(CallToolResult result) =>
        string.Join("", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}

/// <summary>Session tools through the real server.</summary>
public sealed class StdioSessionToolTests : IAsyncLifetime
{
    private McpClient _client = null!;

    public async Task InitializeAsync() => _client = await ServerProcess.ConnectStdioAsync();
    public async Task DisposeAsync() => await _client.DisposeAsync();

    private async Task<string> RunAsync(string code, string? session = null) =>
        StdioServerTests.Text(await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", code), ("session", session))));

    [Fact]
    public async Task SessionArgument_SelectsIndependentWorkspaces_ListedByListSessions()
    {
        await RunAsync("v = 'main-value';");
        await RunAsync("v = 'b-value';", "worktree-b");

        Assert.Equal("main-value", await RunAsync("disp(v)"));
        Assert.Equal("b-value", await RunAsync("disp(v)", "worktree-b"));
        var list = await _client.CallToolAsync("list_sessions", new Dictionary<string, object?>());
        var names = list.StructuredContent!.Value.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("name").GetString());
        Assert.Equal(["main", "worktree-b"], names);
    }

    [Fact]
    public async Task ResetAndClose_DoWhatTheySay()
    {
        await RunAsync("v = 1;", "scratch");

        var reset = await _client.CallToolAsync("reset_session", ServerProcess.Args(("session", "scratch")));
        Assert.NotEqual(true, reset.IsError);
        Assert.Equal("0", await RunAsync("disp(exist('v'))", "scratch"));

        var close = await _client.CallToolAsync("close_session", ServerProcess.Args(("session", "scratch")));
        Assert.NotEqual(true, close.IsError);
        var again = await _client.CallToolAsync("close_session", ServerProcess.Args(("session", "scratch")));
        Assert.True(again.IsError);
        Assert.Contains("no session named 'scratch'", StdioServerTests.Text(again));
    }
}
