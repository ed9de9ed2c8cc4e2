using System.Diagnostics;
using System.Text.Json;
using MatlabMcp.Tests.EndToEnd;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.CustomTools;

/// <summary>
/// Custom tools from custom_tools.file through the real server, a real Octave and the official C# SDK client: typed
/// parameters arrive as their MATLAB classes, a string that looks like code stays data, defaults fill in, the input schema
/// carries types, descriptions and defaults, and bad arguments are refused naming the parameter before any engine runs.
/// </summary>
public sealed class CustomToolServerTests : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mcp-custom-tools-").FullName;
    private McpClient? _client;

    private const string Yaml = """
        tools:
          - name: classes_of
            function: classes_of
            path: fns
            description: Returns the class of each argument.
            parameters:
              s: {type: struct, description: A record.}
              flag: {type: logical, description: A flag.}
              n: {type: int}
              name: {type: string}
              list: {type: "string[]"}
              m: {type: "double[][]"}
              c: {type: cell}
          - name: echo_text
            function: echo_text
            path: fns
            description: Returns its text and its length.
            parameters:
              text: {type: string, description: Any text.}
          - name: with_defaults
            function: with_defaults
            path: fns
            description: Returns how many arguments it got, and them.
            parameters:
              a: {type: double, description: Required.}
              scale: {type: double, description: A factor., default: 2.5}
              unit: {type: string, default: mm}
              on: {type: logical, default: true}
              extra: {type: "double[]", required: false}
        """;

    private static readonly Dictionary<string, string> Functions = new()
    {
        ["classes_of"] = "function out = classes_of(s, flag, n, name, list, m, c)\n" +
            "  out = {class(s), class(flag), class(n), class(name), class(list), class(m), class(c), class(s.inner), size(m), s.inner.x};\nend\n",
        ["echo_text"] = "function [t, n] = echo_text(text)\n  t = text;\n  n = numel(text);\nend\n",
        ["with_defaults"] = "function [count, a, scale, unit, on] = with_defaults(a, scale, unit, on, extra)\n  count = nargin;\nend\n",
    };

    public CustomToolServerTests()
    {
        // Engines run as other uids: the fixture must be readable by them, as an operator's tool folder would be.
        File.SetUnixFileMode(_folder, (UnixFileMode)0b111_101_101);
        var fns = Directory.CreateDirectory(Path.Combine(_folder, "fns"), (UnixFileMode)0b111_101_101).FullName;
        foreach (var (name, code) in Functions)
        {
            File.WriteAllText(Path.Combine(fns, name + ".m"), code);
            File.SetUnixFileMode(Path.Combine(fns, name + ".m"), (UnixFileMode)0b110_100_100);
        }
        File.WriteAllText(Path.Combine(_folder, "tools.yaml"), Yaml);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
            await _client.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<McpClient> ConnectAsync(string? file = null) => _client = await ServerProcess.ConnectStdioAsync(
        environment: new Dictionary<string, string?> { ["MATLAB_MCP_CUSTOM_TOOLS__FILE"] = file ?? Path.Combine(_folder, "tools.yaml") });

    private static async Task<JsonElement> ReturnedAsync(McpClient client, string tool, params (string, object?)[] args)
    {
        var result = await client.CallToolAsync(tool, ServerProcess.Args(args));
        var text = StdioServerTests.Text(result);
        await Assert.That(result.IsError).IsNotEqualTo(true).Because(text);
        var line = text.Split('\n').Single(l => l.StartsWith("Returned: ", StringComparison.Ordinal));
        return JsonDocument.Parse(line["Returned: ".Length..]).RootElement.Clone();
    }

    [Test]
    public async Task StructAndLogicalParameters_AreStructAndLogicalInTheEngine()
    {
        var client = await ConnectAsync();

        var value = await ReturnedAsync(client, "classes_of",
            ("s", new Dictionary<string, object> { ["inner"] = new Dictionary<string, object> { ["x"] = 7 }, ["k"] = "v" }),
            ("flag", true), ("n", 3), ("name", "abc"), ("list", new[] { "p", "q" }), ("m", new[] { new[] { 1, 2, 3 }, new[] { 4, 5, 6 } }),
            ("c", new object[] { 1, "two" }));

        var classes = value[0].EnumerateArray().Take(8).Select(e => e.GetString()!).ToList();
        await Assert.That(classes).IsEquivalentTo(new[] { "struct", "logical", "double", "char", "cell", "double", "cell", "struct" },
            CollectionOrdering.Matching);
        await Assert.That(value[0][8].EnumerateArray().Select(e => e.GetDouble())).IsEquivalentTo(new[] { 2.0, 3.0 },
            CollectionOrdering.Matching).Because("a double[][] of two rows of three is a 2x3 matrix");
        await Assert.That(value[0][9].GetDouble()).IsEqualTo(7).Because("nested objects are nested structs");
    }

    [Test]
    public async Task AStringThatLooksLikeCode_StaysData_AndNothingRuns()
    {
        var client = await ConnectAsync();
        const string attack = "'); system('id'); %";
        const string planter = "'); fclose(fopen('pwned.txt', 'w')); %";

        var value = await ReturnedAsync(client, "echo_text", ("text", attack));
        var planted = await ReturnedAsync(client, "echo_text", ("text", planter));

        await Assert.That(value[0].GetString()).IsEqualTo(attack).Because("returned verbatim");
        await Assert.That(value[1].GetDouble()).IsEqualTo(attack.Length);
        await Assert.That(planted[0].GetString()).IsEqualTo(planter);
        var check = await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(exist('pwned.txt', 'file'))")));
        await Assert.That(StdioServerTests.Text(check)).IsEqualTo("0").Because("the text was never evaluated");
        var audit = (await client.CallToolAsync("query_audit", ServerProcess.Args(("limit", 5)))).StructuredContent!.Value
            .GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("code_excerpt").GetString()!).ToList();
        await Assert.That(audit.Count(c => c.Contains("custom tool 'echo_text'", StringComparison.Ordinal))).IsEqualTo(2)
            .Because("the audit records each call's honest text");
        await Assert.That(audit.Any(c => c.Contains("echo_text(<text: string, 19 characters>)", StringComparison.Ordinal))).IsTrue();
        await Assert.That(audit.Any(c => c.Contains("pwned", StringComparison.Ordinal) && c.Contains("custom tool", StringComparison.Ordinal)))
            .IsFalse().Because("values are not code: the audit shows their type and size");
    }

    [Test]
    public async Task ToolsList_CarriesTypesDescriptionsAndDefaults_AndACallGetsTheDefaults()
    {
        var client = await ConnectAsync();

        var tool = (await client.ListToolsAsync()).Single(t => t.Name == "with_defaults").ProtocolTool;
        var properties = tool.InputSchema.GetProperty("properties");
        await Assert.That(properties.EnumerateObject().Select(p => p.Name)).IsEquivalentTo(
            new[] { "a", "scale", "unit", "on", "extra", "session", "timeout_seconds", "wait_seconds" }, CollectionOrdering.Matching);
        await Assert.That(properties.GetProperty("a").GetProperty("type").GetString()).IsEqualTo("number");
        await Assert.That(properties.GetProperty("scale").GetProperty("default").GetDouble()).IsEqualTo(2.5);
        await Assert.That(properties.GetProperty("scale").GetProperty("description").GetString()).StartsWith("A factor.");
        await Assert.That(properties.GetProperty("unit").GetProperty("default").GetString()).IsEqualTo("mm");
        await Assert.That(properties.GetProperty("on").GetProperty("type").GetString()).IsEqualTo("boolean");
        await Assert.That(properties.GetProperty("extra").GetProperty("items").GetProperty("type").GetString()).IsEqualTo("number");
        await Assert.That(tool.InputSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!)).IsEquivalentTo(new[] { "a" });
        var classes = (await client.ListToolsAsync()).Single(t => t.Name == "classes_of").ProtocolTool.InputSchema.GetProperty("properties");
        await Assert.That(classes.GetProperty("m").GetProperty("items").GetProperty("items").GetProperty("type").GetString()).IsEqualTo("number");
        await Assert.That(classes.GetProperty("n").GetProperty("type").GetString()).IsEqualTo("integer");
        await Assert.That(classes.GetProperty("s").GetProperty("type").GetString()).IsEqualTo("object");

        var value = await ReturnedAsync(client, "with_defaults", ("a", 1));
        await Assert.That(value.GetRawText()).IsEqualTo("[4,1,2.5,\"mm\",true]").Because("defaults filled in; extra, not given, is not passed");
        var given = await ReturnedAsync(client, "with_defaults", ("a", 1), ("unit", "cm"), ("extra", new[] { 1, 2 }));
        await Assert.That(given.GetRawText()).IsEqualTo("[5,1,2.5,\"cm\",true]");
    }

    [Test]
    public async Task WrongArguments_AreRefused_NamingTheParameter()
    {
        var client = await ConnectAsync();

        var result = await client.CallToolAsync("classes_of", ServerProcess.Args(("s", "not a struct"), ("flag", 1), ("n", 2.5),
            ("name", "x"), ("list", new object[] { "a", 2 }), ("m", new[] { new[] { 1, 2 }, new[] { 3 } }), ("c", new object[] { }), ("nope", 1)));
        var text = StdioServerTests.Text(result);

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(text).StartsWith("classes_of was not called:");
        await Assert.That(text).Contains("parameter 's' must be an object (struct), not a string.");
        await Assert.That(text).Contains("parameter 'flag' must be true or false (logical), not a number.");
        await Assert.That(text).Contains("parameter 'n' must be a whole number (int), not 2.5.");
        await Assert.That(text).Contains("parameter 'list' element 2 must be a string, not a number.");
        await Assert.That(text).Contains("parameter 'm' is a ragged matrix: row 1 has 2 numbers, row 2 has 1");
        await Assert.That(text).Contains("unknown parameter 'nope'");
        var missing = StdioServerTests.Text(await client.CallToolAsync("echo_text", ServerProcess.Args()));
        await Assert.That(missing).Contains("missing required parameter 'text' (string).");
    }

    [Test]
    public async Task ASessionFileNamedLikeTheFunction_IsRefused_RatherThanRunInItsPlace()
    {
        var client = await ConnectAsync();
        await client.CallToolAsync("execute_code", ServerProcess.Args(("code",
            "fid = fopen('echo_text.m', 'w'); fprintf(fid, 'function [t, n] = echo_text(x)\\n t = 1; n = 2;\\nend\\n'); fclose(fid);")));

        var result = await client.CallToolAsync("echo_text", ServerProcess.Args(("text", "hi")));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(StdioServerTests.Text(result)).Contains("your session folder has a file echo_text.m");
        await Assert.That(StdioServerTests.Text(await client.CallToolAsync("echo_text", ServerProcess.Args(("text", "hi"), ("session", "other")))))
            .Contains("Returned: [\"hi\",2]").Because("another session has no such file");
    }

    [Test]
    [Arguments("  - name: execute_code\n    function: echo_text\n    path: fns\n    description: d\n",
        "tool 'execute_code' has the name of one of the server's own tools; rename it")]
    [Arguments("  - name: Read_File\n    function: echo_text\n    path: fns\n    description: d\n",
        "tool 'Read_File' has the name of one of the server's own tools")]
    [Arguments("  - name: typed\n    function: echo_text\n    path: fns\n    description: d\n    parameters:\n      x: {type: float}\n",
        "tool 'typed' (entry 1): parameter 'x': unknown type 'float'")]
    [Arguments("  - name: lost\n    function: no_such_fn\n    path: fns\n    description: d\n",
        "tool 'lost' (entry 1): function 'no_such_fn' has no file no_such_fn.m")]
    public async Task Start_IsRefused_NamingTheEntry(string entry, string expected)
    {
        var file = Path.Combine(_folder, "bad.yaml");
        await File.WriteAllTextAsync(file, "tools:\n" + entry);
        var info = new ProcessStartInfo("dotnet", [Repo.ServerDll])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            Environment =
            {
                ["MATLAB_MCP_CUSTOM_TOOLS__FILE"] = file,
                ["MATLAB_MCP_ENGINE__WORK_ROOT"] = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "mcp-e2e")).FullName,
                ["MATLAB_MCP_JOBS__DATABASE"] = Path.Combine(Path.GetTempPath(), "mcp-e2e", $"jobs-{Guid.NewGuid():N}.db"),
            },
        };
        using var server = Process.Start(info)!;
        var stderr = server.StandardError.ReadToEndAsync();
        var stdout = server.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await server.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!server.HasExited)
                server.Kill(entireProcessTree: true);
            server.StandardInput.Close();
        }

        await Assert.That(server.ExitCode).IsEqualTo(2).Because(await stderr);
        await Assert.That(await stderr).Contains(expected);
        await Assert.That(await stderr).Contains($"custom_tools.file ({file})");
        await Assert.That(await stdout).IsEqualTo("").Because("nothing was served");
        await Assert.That(await stderr).DoesNotContain(" at ").Because("a refusal is a message, not a stack trace");
    }
}
