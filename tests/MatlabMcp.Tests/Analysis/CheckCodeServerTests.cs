using System.Text.Json;
using MatlabMcp.Tests.EndToEnd;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Analysis;

/// <summary>check_code through a real server, a real Octave and the official C# SDK client, as an MCP host calls it.</summary>
public sealed class CheckCodeServerTests : IAsyncDisposable
{
    private McpClient _client = null!;

    [Before(Test)]
    public async Task InitializeAsync() => _client = await ServerProcess.ConnectStdioAsync();
    public async ValueTask DisposeAsync() => await _client.DisposeAsync();

    internal sealed record Issue(int Line, int Column, string Severity, string Message, string Id, string Source);

    internal static async Task<(CallToolResult Result, List<Issue> Issues)> CheckAsync(McpClient client, params (string Name, object? Value)[] args)
    {
        var result = await client.CallToolAsync("check_code", ServerProcess.Args(args));
        if (result.IsError == true)
            return (result, []);
        var issues = result.StructuredContent!.Value.GetProperty("issues").EnumerateArray().Select(i => new Issue(
            i.GetProperty("line").GetInt32(), i.GetProperty("column").GetInt32(), i.GetProperty("severity").GetString()!,
            i.GetProperty("message").GetString()!, i.GetProperty("id").GetString()!, i.GetProperty("source").GetString()!)).ToList();
        return (result, issues);
    }

    private async Task<string> RunAsync(string code) =>
        StdioServerTests.Text(await _client.CallToolAsync("execute_code", ServerProcess.Args(("code", code))));

    [Test]
    public async Task ListTools_CheckCodeIsReadOnly_WithAnIssuesSchema()
    {
        var tools = await _client.ListToolsAsync();

        var tool = await Assert.That(tools).HasSingleItem(t => t.Name == "check_code");
        await Assert.That(tool.ProtocolTool.Annotations!.ReadOnlyHint).IsTrue();
        await Assert.That(tool.ProtocolTool.Annotations!.DestructiveHint).IsFalse();
        var issue = tool.ProtocolTool.OutputSchema!.Value.GetProperty("properties").GetProperty("issues");
        await Assert.That(issue.GetProperty("type").GetString()).IsEqualTo("array");
        var itemKeys = issue.GetProperty("items").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        await Assert.That(itemKeys).IsEquivalentTo(["line", "column", "severity", "message", "id", "source"]);
    }

    [Test]
    public async Task SyntaxError_LocatedAtItsLineAndColumn_InCharacters()
    {
        var (result, issues) = await CheckAsync(_client, ("code", "x = 1;\ny = [1 2];\n  z = 3 +* 4;\n"));
        var (_, utf8) = await CheckAsync(_client, ("code", "s = 'é€'; t = 1 +* 2;\n"));

        var parse = await Assert.That(issues).HasSingleItem();
        await Assert.That(parse!).IsEqualTo(new Issue(3, 10, "error", "syntax error", "parse-error", "parser"));
        await Assert.That(StdioServerTests.Text(result)).StartsWith("1 problem:\n3:10 error parser [parse-error]: syntax error");
        // Octave's caret counts bytes: 'é€' is 5 bytes and 2 characters, so the '*' is byte 21 and character 18.
        await Assert.That(utf8.Select(i => (i.Line, i.Column))).IsEquivalentTo([(1, 18)]);
    }

    [Test]
    public async Task CodeEndingInsideABlock_PointsAtTheOpener()
    {
        var (_, issues) = await CheckAsync(_client, ("code", "a = 1;\nwhile a < 3\n  a = a + 1;\n"));

        var issue = await Assert.That(issues).HasSingleItem();
        await Assert.That((issue!.Line, issue.Column, issue.Source)).IsEqualTo((2, 1, "parser"));
        await Assert.That(issue.Message).Contains("'while' is never closed (no matching 'end')");
    }

    [Test]
    public async Task BracketLeftOpen_BeforeTheParseError_NamedAsItsLikelyCause()
    {
        var (_, issues) = await CheckAsync(_client, ("code", "data = 1;\nplot(data\ntitle('x')\n"));

        await Assert.That(issues.Select(i => (i.Line, i.Id, i.Source)))
            .IsEquivalentTo([(2, "unclosed-bracket", "lint"), (3, "parse-error", "parser")]);
        await Assert.That(issues[0].Column).IsEqualTo(5);
    }

    [Test]
    public async Task PolicyFinding_LocatedAtTheCall()
    {
        var (result, issues) = await CheckAsync(_client, ("code", "a = 1;\nb = 2; [s, out] = system('id');\n"));

        var policy = await Assert.That(issues).HasSingleItem();
        await Assert.That((policy!.Line, policy.Column, policy.Severity, policy.Id, policy.Source))
            .IsEqualTo((2, 19, "error", "blocked-function", "policy"));
        await Assert.That(StdioServerTests.Text(result)).Contains("2:19 error policy [blocked-function]: system is blocked");
    }

    [Test]
    public async Task LintFindings_ShadowedBuiltinAndUnusedVariable_OnlyWhereTheyAre()
    {
        var code = "r = sum(3);\nfunction out = sum(v)\n  scratch = 2;\n  out = v + 1;\nend\nfunction y = mine_not_builtin(q)\n  y = q;\nend\n";

        var (_, issues) = await CheckAsync(_client, ("code", code));

        await Assert.That(issues.Select(i => (i.Line, i.Column, i.Id, i.Source)))
            .IsEquivalentTo([(2, 16, "shadows-builtin", "lint"), (3, 3, "unused-variable", "lint")]);
        await Assert.That(issues[0].Message).Contains("function 'sum'");
    }

    [Test]
    public async Task Check_LeavesTheWorkspaceUnchanged_AndRunsNothing()
    {
        await RunAsync("x = 5; ans = 42;");
        // Valid code up to a late syntax error: nothing of it may run (no x = 7, no file, no output).
        var (_, issues) = await CheckAsync(_client, ("code",
            "x = 7; fclose(fopen('ran.txt', 'w')); disp('RAN-MARKER'); error('ran')\nnew_var = 1;\ny = (2;\n"));
        // Valid code throughout: parsed, still not run.
        var (clean, none) = await CheckAsync(_client, ("code", "x = 8; fclose(fopen('ran2.txt', 'w')); printf('RAN-MARKER\\n');\n"));

        await Assert.That(issues.Select(i => (i.Line, i.Source))).IsEquivalentTo([(3, "parser")]);
        await Assert.That(none).IsEmpty();
        await Assert.That(StdioServerTests.Text(clean)).IsEqualTo("No problems found.");
        var after = await RunAsync("printf('%d %d %d %d|', x, ans, exist('ran.txt', 'file'), exist('ran2.txt', 'file')); disp(who')");
        await Assert.That(after).StartsWith("5 42 0 0|");
        await Assert.That(after).DoesNotContain("RAN-MARKER");
        await Assert.That(after).DoesNotContain("new_var");
        var workspace = await _client.CallToolAsync("get_workspace", ServerProcess.Args());
        var names = workspace.StructuredContent!.Value.GetProperty("variables").EnumerateArray().Select(v => v.GetProperty("name").GetString()!);
        await Assert.That(names).IsEquivalentTo(["ans", "x"]);
    }

    [Test]
    public async Task Classdef_NotParsed_BecauseParsingRunsItsDefaults_AndSaysSo()
    {
        var (result, issues) = await CheckAsync(_client, ("code",
            "classdef Probe\n  properties\n    a = fclose(fopen('ran.txt', 'w'));\n  end\nend\n"));
        // Octave skips a byte-order mark before classdef and would evaluate the defaults all the same.
        var (bom, _) = await CheckAsync(_client, ("code",
            "\uFEFFclassdef Probe2\n  properties\n    a = fclose(fopen('ran2.txt', 'w'));\n  end\nend\n"));

        await Assert.That(issues).IsEmpty();
        await Assert.That(result.StructuredContent!.Value.GetProperty("notice").GetString()).Contains("word classdef is not parsed");
        await Assert.That(bom.StructuredContent!.Value.GetProperty("notice").GetString()).Contains("word classdef is not parsed");
        await Assert.That((await RunAsync("printf('%d%d', exist('ran.txt', 'file'), exist('ran2.txt', 'file'))")).Trim()).IsEqualTo("00");
    }

    [Test]
    public async Task Refusals_SayWhatToPass()
    {
        var both = await _client.CallToolAsync("check_code", ServerProcess.Args(("code", "x = 1;"), ("path", "a.m")));
        var neither = await _client.CallToolAsync("check_code", ServerProcess.Args());
        var badSession = await _client.CallToolAsync("check_code", ServerProcess.Args(("code", "x = 1;"), ("session", "../etc")));

        foreach (var refused in new[] { both, neither })
        {
            await Assert.That(refused.IsError).IsTrue();
            await Assert.That(StdioServerTests.Text(refused)).Contains("Pass either code");
        }
        await Assert.That(badSession.IsError).IsTrue();
        await Assert.That(StdioServerTests.Text(badSession)).Contains("Invalid session name");
    }

    [Test]
    public async Task ManyProblems_ListBounded_AndCounted()
    {
        var code = string.Concat(Enumerable.Range(1, 80).Select(k => $"system('x{k}');\n"));

        var (result, issues) = await CheckAsync(_client, ("code", code));

        await Assert.That(issues.Count).IsEqualTo(50);
        await Assert.That(result.StructuredContent!.Value.GetProperty("more").GetInt32()).IsEqualTo(30);
        await Assert.That(StdioServerTests.Text(result)).StartsWith("80 problems:");
        await Assert.That(StdioServerTests.Text(result)).Contains("... and 30 more");
    }
}

/// <summary>execution.max_code_chars bounds what check_code takes, as it bounds execute_code.</summary>
public sealed class CheckCodeLimitTests
{
    [Test]
    public async Task CodeOverMaxCodeChars_RefusedWithTheLimitAndItsKey()
    {
        await using var client = await ServerProcess.ConnectStdioAsync(environment: new Dictionary<string, string?>
        {
            ["MATLAB_MCP_EXECUTION__MAX_CODE_CHARS"] = "200",
        });

        var fits = await client.CallToolAsync("check_code", ServerProcess.Args(("code", new string(' ', 190) + "x=1;")));
        var huge = await client.CallToolAsync("check_code", ServerProcess.Args(("code", new string('x', 201))));

        await Assert.That(fits.IsError).IsNotEqualTo(true);
        await Assert.That(huge.IsError).IsTrue();
        await Assert.That(StdioServerTests.Text(huge)).Contains("201 characters; the limit is 200 (execution.max_code_chars)");
    }
}
