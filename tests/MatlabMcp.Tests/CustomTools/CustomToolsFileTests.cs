using System.Text.Json;
using MatlabMcp.Configuration;
using MatlabMcp.Endpoints.CustomTools;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.CustomTools;

/// <summary>
/// custom_tools.file read and checked: every problem named with its entry, defaults typed, the folders mounted read-only,
/// and an agent's arguments checked against the declared types before anything is sent to an engine.
/// </summary>
public sealed class CustomToolsFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mcp-custom-").FullName;

    public CustomToolsFileTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "m"));
        File.WriteAllText(Path.Combine(_folder, "m", "tool_fn.m"), "function r = tool_fn(varargin)\n  r = nargin;\nend\n");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_folder, "tools.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static string Tool(string name = "my_tool", string function = "tool_fn", string path = "m", string parameters = "") =>
        $"  - name: {name}\n    function: {function}\n    path: {path}\n    description: A tool.\n" +
        (parameters.Length > 0 ? "    parameters:\n" + parameters : "");

    private (IReadOnlyList<CustomToolDefinition> Tools, IReadOnlyList<string> Errors) Load(string yaml) => CustomToolsFile.Load(Write(yaml));

    [Test]
    public async Task AGoodFile_ReadsEveryToolInOrder_WithTypedDefaults()
    {
        var (tools, errors) = Load("tools:\n" + Tool(parameters:
            "      x:\n        type: double[]\n        description: Points.\n" +
            "      n:\n        type: int\n        default: 3\n" +
            "      label:\n        type: string\n        default: 42\n" +
            "      on:\n        type: logical\n        default: true\n" +
            "      opts:\n        type: struct\n        default: {a: 1, b: [x, 2], c: 'true'}\n" +
            "      m:\n        type: double[][]\n        default: [[1, 2], [3, 4]]\n" +
            "      maybe:\n        type: cell\n        required: false\n"));

        await Assert.That(errors).IsEmpty();
        var tool = tools.Single();
        await Assert.That(tool.Folder).IsEqualTo(Path.Combine(_folder, "m")).Because("path is relative to the YAML file");
        await Assert.That(tool.Parameters.Select(p => p.Name)).IsEquivalentTo(new[] { "x", "n", "label", "on", "opts", "m", "maybe" },
            CollectionOrdering.Matching);
        await Assert.That(tool.Parameters.Select(p => p.Required)).IsEquivalentTo(new[] { true, false, false, false, false, false, false },
            CollectionOrdering.Matching);
        var defaults = tool.Parameters.ToDictionary(p => p.Name, p => p.Default?.GetRawText());
        await Assert.That(defaults["n"]).IsEqualTo("3");
        await Assert.That(defaults["label"]).IsEqualTo("\"42\"").Because("a string's default is text, whatever it looks like");
        await Assert.That(defaults["on"]).IsEqualTo("true");
        await Assert.That(defaults["opts"]).IsEqualTo("{\"a\":1,\"b\":[\"x\",2],\"c\":\"true\"}").Because("quoted YAML stays text");
        await Assert.That(defaults["m"]).IsEqualTo("[[1,2],[3,4]]");
        await Assert.That(defaults["maybe"]).IsNull();
    }

    [Test]
    [Arguments("type: dbl", "parameter 'p': unknown type 'dbl'; one of double, double[], double[][], int, logical, string, string[], cell, struct.")]
    [Arguments("type: int\n        default: 2.5", "parameter 'p': the default must be a whole number (int), not 2.5.")]
    [Arguments("type: double[]\n        default: [1, two]", "parameter 'p': the default element 2 must be a number, not a string.")]
    [Arguments("type: double[][]\n        default: [[1, 2], [3]]", "parameter 'p': the default is a ragged matrix")]
    [Arguments("type: logical\n        default: yes", "parameter 'p': the default must be true or false (logical), not a string.")]
    [Arguments("type: string\n        default: a\n        required: true", "parameter 'p': a default makes a parameter optional")]
    [Arguments("type: string\n        descripton: typo", "parameter 'p': unknown key 'descripton'")]
    [Arguments("description: no type", "parameter 'p': 'type' is missing")]
    [Arguments("type: string\n        required: maybe", "parameter 'p': required must be true or false, not 'maybe'.")]
    public async Task ABadParameter_IsNamedWithItsTool(string spec, string expected)
    {
        var (tools, errors) = Load("tools:\n" + Tool(parameters: "      p:\n        " + spec + "\n"));

        await Assert.That(tools).IsEmpty().Because("a tool with a problem is not served");
        await Assert.That(errors).HasSingleItem();
        await Assert.That(errors[0]).Contains("tool 'my_tool' (entry 1): " + expected);
    }

    [Test]
    public async Task BadEntries_AreAllReported_EachNamed()
    {
        var yaml = "tools:\n" +
            Tool(name: "no_file", function: "missing_fn") +
            Tool(name: "bridge", function: "mcp_bridge_call") +
            Tool(name: "bad name!") +
            Tool(name: "no_folder", path: "nowhere") +
            Tool(name: "twice") + Tool(name: "TWICE") +
            Tool(name: "reserved", parameters: "      session:\n        type: string\n") +
            Tool(name: "code_fn", function: "x;system") +
            "  - name: lacking\n    function: tool_fn\n" +
            "  - name: typo\n    function: tool_fn\n    path: m\n    description: d\n    paramters: {}\n" +
            "extra: 1\n";

        var (_, errors) = Load(yaml);
        var all = string.Join("\n", errors);

        await Assert.That(all).Contains("tool 'no_file' (entry 1): function 'missing_fn' has no file missing_fn.m in " + Path.Combine(_folder, "m"));
        await Assert.That(all).Contains("tool 'bridge' (entry 2): function 'mcp_bridge_call' names the server's own bridge");
        await Assert.That(all).Contains("tool 'bad name!' (entry 3): the name must start with a letter");
        await Assert.That(all).Contains("tool 'no_folder' (entry 4): path 'nowhere' is not a folder");
        await Assert.That(all).Contains("tool 'twice' is defined 2 times");
        await Assert.That(all).Contains("tool 'reserved' (entry 7): parameter 'session': every custom tool already takes session");
        await Assert.That(all).Contains("tool 'code_fn' (entry 8): function 'x;system' is not a MATLAB function name");
        await Assert.That(all).Contains("tool 'lacking' (entry 9): 'path' is missing");
        await Assert.That(all).Contains("tool 'lacking' (entry 9): 'description' is missing");
        await Assert.That(all).Contains("tool 'typo' (entry 10): unknown key 'paramters'");
        await Assert.That(all).Contains("unknown key 'extra' (the file takes only tools:)");
    }

    [Test]
    public async Task ConfigKey_LoadsTheFile_AndAProblemStopsTheLoad()
    {
        var good = Write("tools:\n" + Tool());
        var config = ConfigLoader.Load(null, ConfigFiles.Env(("MATLAB_MCP_CUSTOM_TOOLS__FILE", good)));
        await Assert.That(config.CustomTools.Tools().Select(t => t.Name)).IsEquivalentTo(new[] { "my_tool" });

        Write("tools:\n" + Tool(function: "gone"));
        var error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Load(null, ConfigFiles.Env(("MATLAB_MCP_CUSTOM_TOOLS__FILE", good))));
        await Assert.That(error.Message).Contains("tool 'my_tool' (entry 1): function 'gone' has no file gone.m");

        var missing = Assert.ThrowsExactly<ConfigException>(() =>
            ConfigLoader.Load(null, ConfigFiles.Env(("MATLAB_MCP_CUSTOM_TOOLS__FILE", Path.Combine(_folder, "none.yaml")))));
        await Assert.That(missing.Message).Contains("custom_tools.file (" + Path.Combine(_folder, "none.yaml") + ") does not exist.");

        await Assert.That(ConfigLoader.Load(null, ConfigFiles.Env()).CustomTools.Tools()).IsEmpty().Because("empty: no custom tools");
    }

    [Test]
    public async Task ToolFolders_AreMountedReadOnlyIntoEngines()
    {
        var config = new AppConfig();
        config.Sandbox.AllowUnsandboxed = true;
        config.CustomTools.File = Write("tools:\n" + Tool());

        var sandbox = new EngineSandbox(config);

        await Assert.That(sandbox.ReadOnlyPaths).Contains(CodePaths.RealPath(Path.Combine(_folder, "m"))!);
    }

    [Test]
    public async Task TheDeclaredTypes_AreTheBridgesTypes()
    {
        foreach (var type in CustomToolTypes.All)
            await Assert.That(EngineCall.Types.Contains(type)).IsTrue().Because($"{type} must be one the bridge converts");
        await Assert.That(CustomToolTypes.All.Count).IsEqualTo(EngineCall.Types.Count - 1).Because("every bridge type but \"\" is declarable");
    }

    [Test]
    public async Task Arguments_AreCheckedAgainstTheirTypes_EveryProblemNamed()
    {
        var tool = Load("tools:\n" + Tool(parameters:
            "      n:\n        type: int\n      m:\n        type: double[][]\n      s:\n        type: struct\n" +
            "      flag:\n        type: logical\n        default: false\n")).Tools.Single();

        var refused = CustomToolCall.Read(tool, Args("""{"n": 2.5, "m": [[1,2],[3]], "s": [1], "flag": "yes", "bogus": 1, "session": 3}"""), out var call);

        await Assert.That(call).IsNull();
        await Assert.That(refused).Contains("parameter 'n' must be a whole number (int), not 2.5.");
        await Assert.That(refused).Contains("parameter 'm' is a ragged matrix: row 1 has 2 numbers, row 2 has 1");
        await Assert.That(refused).Contains("parameter 's' must be an object (struct), not an array.");
        await Assert.That(refused).Contains("parameter 'flag' must be true or false (logical), not a string.");
        await Assert.That(refused).Contains("unknown parameter 'bogus'; my_tool takes n, m, s, flag, session, timeout_seconds, wait_seconds.");
        await Assert.That(refused).Contains("parameter 'session' must be a string, not a number.");

        var missing = CustomToolCall.Read(tool, Args("""{"m": [[1e400]]}"""), out _);
        await Assert.That(missing).Contains("missing required parameter 'n' (int).");
        await Assert.That(missing).Contains("missing required parameter 's' (struct).");
        await Assert.That(missing).Contains("parameter 'm' row 1: element 1 must be a finite number that fits a double");
    }

    [Test]
    public async Task Defaults_AreFilledIn_AndALeftOutOptionalBeforeAGivenOneIsEmpty()
    {
        var tool = Load("tools:\n" + Tool(parameters:
            "      a:\n        type: double\n      b:\n        type: string[]\n        required: false\n" +
            "      c:\n        type: logical\n        default: true\n      d:\n        type: string\n        required: false\n")).Tools.Single();

        await Assert.That(CustomToolCall.Read(tool, Args("""{"a": 1, "session": "s2", "wait_seconds": 4}"""), out var call)).IsNull();
        await Assert.That(call!.Args.Select(a => (a.Value.GetRawText(), a.Type))).IsEquivalentTo(
            new[] { ("1", "double"), ("[]", ""), ("true", "logical") }, CollectionOrdering.Matching)
            .Because("b is [] (c after it has a default); d, last and not given, is not passed");
        await Assert.That(call.Session).IsEqualTo("s2");
        await Assert.That(call.WaitSeconds).IsEqualTo(4);
        await Assert.That(CustomToolSchema.CallText(tool, call.Shown)).EndsWith("tool_fn(<a: 1>, <b: [] (not given)>, <c: true>)");
    }

    [Test]
    public async Task TheCallsText_ShowsNoStringValue_SoThePolicyNeverSeesOneAsCode()
    {
        var tool = Load("tools:\n" + Tool(parameters: "      t:\n        type: string\n      x:\n        type: double[]\n")).Tools.Single();
        CustomToolCall.Read(tool, Args("""{"t": "'); system('id'); %", "x": [1, 2, 3]}"""), out var call);

        var text = CustomToolSchema.CallText(tool, call!.Shown);

        await Assert.That(text).DoesNotContain("system");
        await Assert.That(text).EndsWith("tool_fn(<t: string, 19 characters>, <x: array, 3 values>)");
        foreach (var dialect in new[] { MatlabDialect.Octave, MatlabDialect.Matlab })
            await Assert.That(new CodePolicy(new CodePolicyOptions(), dialect).Check(text).Describe()).IsEqualTo(
                new CodePolicy(new CodePolicyOptions(), dialect).Check("1;").Describe()).Because("the honest text of a call passes the default policy");
    }

    private static Dictionary<string, JsonElement> Args(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
}
