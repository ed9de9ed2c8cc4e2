using System.Diagnostics;
using System.Text.Json;
using MatlabMcp.Tests.EndToEnd;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;

namespace MatlabMcp.Tests.Variables;

/// <summary>get_variable through a real server and the official C# SDK client, as an MCP host calls it.</summary>
public sealed class VariableToolServerTests : IAsyncDisposable
{
    private McpClient _client = null!;

    [Before(Test)]
    public async Task InitializeAsync() => _client = await ServerProcess.ConnectStdioAsync();
    public async ValueTask DisposeAsync() => await _client.DisposeAsync();

    [Test]
    public async Task ListTools_GetVariableIsReadOnly_WithAnObjectSchemaForTheValue()
    {
        var tools = await _client.ListToolsAsync();

        var tool = await Assert.That(tools).HasSingleItem(t => t.Name == "get_variable");
        await Assert.That(tool.ProtocolTool.Annotations!.ReadOnlyHint).IsTrue();
        var properties = tool.ProtocolTool.OutputSchema!.Value.GetProperty("properties");
        foreach (var key in new[] { "name", "class", "size", "truncated", "elements_returned", "value" })
            await Assert.That(properties.TryGetProperty(key, out _)).IsTrue().Because(key);
        // A bare `true` schema makes the TypeScript SDK refuse the whole tool list.
        await Assert.That(properties.GetProperty("value").ValueKind).IsEqualTo(JsonValueKind.Object);
        await Assert.That(tool.JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString())).Contains("name");
    }

    [Test]
    public async Task GetVariable_StructuredContentCompleteOnItsOwn_TextTheSameJson()
    {
        await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "r = struct('m', magic(3), 'label', 'x', 'bad', NaN);")));

        var result = await _client.CallToolAsync("get_variable", ServerProcess.Args(("name", "r")));

        await Assert.That(result.IsError).IsNotEqualTo(true);
        var structured = result.StructuredContent!.Value;
        await Assert.That(structured.GetProperty("name").GetString()).IsEqualTo("r");
        await Assert.That(structured.GetProperty("class").GetString()).IsEqualTo("struct");
        await Assert.That(structured.GetProperty("value").GetRawText()).IsEqualTo("""{"m":[[8,1,6],[3,5,7],[4,9,2]],"label":"x","bad":"NaN"}""");
        using var text = JsonDocument.Parse(StdioServerTests.Text(result));
        await Assert.That(JsonElement.DeepEquals(text.RootElement, structured)).IsTrue();
    }

    [Test]
    public async Task GetVariable_Refusals_AreToolErrorsThatSayWhatToDo()
    {
        await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "ok = 1;")));

        var injected = await _client.CallToolAsync("get_variable", ServerProcess.Args(("name", "ok;system('id')")));
        var function = await _client.CallToolAsync("get_variable", ServerProcess.Args(("name", "pwd")));

        await Assert.That(injected.IsError).IsTrue();
        await Assert.That(StdioServerTests.Text(injected)).Contains("not a variable name");
        await Assert.That(function.IsError).IsTrue();
        await Assert.That(StdioServerTests.Text(function)).Contains("No variable named \"pwd\"");
        await Assert.That(StdioServerTests.Text(function)).Contains("get_workspace");
    }

    [Test]
    public async Task GetVariable_ThousandDoubles_MeasuredThroughTheServer()
    {
        await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", "v = rand(1000, 1); big = (1:1e6)';")));
        await _client.CallToolAsync("get_variable", ServerProcess.Args(("name", "v"))); // warm

        var times = new List<double>();
        var size = 0;
        for (var i = 0; i < 10; i++)
        {
            var clock = Stopwatch.StartNew();
            var result = await _client.CallToolAsync("get_variable", ServerProcess.Args(("name", "v")));
            times.Add(clock.Elapsed.TotalMilliseconds);
            size = StdioServerTests.Text(result).Length;
            await Assert.That(result.StructuredContent!.Value.GetProperty("value").GetArrayLength()).IsEqualTo(1000);
        }
        var clockBig = Stopwatch.StartNew();
        var big = await _client.CallToolAsync("get_variable", ServerProcess.Args(("name", "big")));
        var bigMs = clockBig.Elapsed.TotalMilliseconds;

        times.Sort();
        Console.WriteLine($"get_variable, 1000 doubles: p50 {times[5]:0.0} ms, max {times[^1]:0.0} ms, {size} characters; 1e6x1 cut to 1000: {bigMs:0.0} ms");
        await Assert.That(times[5] < 2000).IsTrue().Because($"p50 {times[5]:0} ms");
        await Assert.That(big.StructuredContent!.Value.GetProperty("truncated").GetBoolean()).IsTrue();
    }
}
