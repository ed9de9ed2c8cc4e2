using System.ComponentModel;
using System.Text;
using System.Text.Json;
using MatlabMcp.Configuration;
using MatlabMcp.Execution;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>
/// run_tests: a test file or a folder of them, run in the caller's session as execute_code runs code (policy, approval,
/// job, time limit, interrupt, progress, audit), with one result per test. The server reads the files and parses
/// Octave's %! blocks; the code policy checks the blocks' code, and the engine (matlab/private/mcp_bridge_tests.m)
/// runs exactly those blocks, passed as data, so a file changed after the check cannot run unchecked code.
/// </summary>
[McpServerToolType]
internal sealed partial class TestTools(CodeRunner runner, CodePaths paths, ResultBuilder results, IOptions<ExecutionOptions> execution,
    IOptions<EngineOptions> engine)
{
    [McpServerTool(Name = "run_tests", Title = "Run MATLAB/Octave tests", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false)]
    [Description("Runs a test file, or every test file in a folder and its subfolders (at most 50), in one of your sessions, and " +
        "returns one result per test: name, file, line, passed, message, duration_ms. Octave: the %!test, %!assert, %!error, " +
        "%!warning, %!fail, %!shared, %!function, %!xtest and %!testif blocks of Octave's test function (every test runs, " +
        "also after a failure). MATLAB: runtests (script-, function- and class-based tests). Each file's folder is on the " +
        "path while it runs, so the functions beside it are found. The tests' code is checked by the code policy as " +
        "execute_code's is, and runs with the same time limit, jobs, progress and audit; what the tests print is the output.")]
    public async Task<CallToolResult> RunTestsAsync(
        RequestContext<CallToolRequestParams> request,
        [Description("A test file or a folder of them: relative to your session folder (e.g. \"tests/test_model.m\" or \"tests\"), " +
            "or an absolute path inside a project folder the server names (execution.project_folders).")] string path,
        [Description(CodeTools.SessionHelp)] string? session = null,
        [Description(CodeRunner.ProjectPathHelp)] string? project_path = null,
        [Description("Seconds all the tests may run in total before they are interrupted (optional; server default applies).")] double? timeout_seconds = null,
        [Description(CodeTools.WaitHelp)] double? wait_seconds = null,
        [Description("Most characters of what the tests print to return (optional; at least 100, at most output.max_output_chars).")] int? max_output_chars = null,
        CancellationToken cancellationToken = default)
    {
        var identity = CallerIdentity.Of(request.User);
        if (runner.Resolve(identity, session, null, project_path, out var where, pathRequired: false) is { } refused)
            return ResultBuilder.Error(refused);
        if (string.IsNullOrEmpty(path))
            return ResultBuilder.Error($"No path given: pass {paths.Accepted}.");
        var (files, problem) = await FindAsync(path, where!, cancellationToken);
        if (files is null)
            return ResultBuilder.Error(problem!);

        // What the policy checks and the audit records: the blocks' code, file after file, each under a line naming it.
        var code = new StringBuilder();
        var starts = new List<int>();
        var line = 1;
        foreach (var file in files)
        {
            code.Append("% run_tests: ").Append(file.Display).Append('\n');
            starts.Add(line + 1);
            var view = file.Blocks is null ? file.Text : TestFiles.PolicyView(file.Text);
            code.Append(view);
            if (!view.EndsWith('\n'))
                code.Append('\n');
            line += 1 + view.Count(c => c == '\n') + (view.EndsWith('\n') ? 0 : 1);
        }
        var spec = new TestRunSpec([.. files.Select(f => new TestFileSpec(f.Display, f.EnginePath[..Math.Max(0, f.EnginePath.LastIndexOf('/'))],
            f.EnginePath, f.Blocks))]);
        var call = new EngineCall("mcp_bridge_tests", [new EngineArgument(JsonSerializer.SerializeToElement(spec, AppJson.Default.TestRunSpec), "struct")], 1);
        var run = new ExecutionRequest(identity, code.ToString(), session, timeout_seconds, runner.SessionWait(wait_seconds), null,
            max_output_chars) { Call = call, AddPath = where!.AddPath };
        var (result, ended) = await runner.RunAsync(request, run, cancellationToken);
        return ended switch
        {
            ExecutionResult.Refused { Outcome.Policy: { IsAllowed: false } verdict } => ResultBuilder.Error(Refusal(verdict, files, starts)),
            ExecutionResult.Completed done => Shape(result, done, files),
            ExecutionResult.Promoted promoted => Note(result, $"get_job_result with job_id \"{promoted.Job.Id}\" returns the per-test " +
                "results as JSON (passed, failed, tests) once it ends."),
            _ => result,
        };
    }

    /// <summary>The policy's findings at their file and line (the checked text is the files' blocks one after another).</summary>
    private static string Refusal(CodePolicyResult verdict, List<FoundTestFile> files, List<int> starts)
    {
        var text = new StringBuilder("The tests were not run: the server's code policy found ")
            .Append(verdict.Violations.Count == 1 ? "1 problem" : $"{verdict.Violations.Count} problems")
            .Append(" in the test code. Nothing was executed; fix every item and run the tests again.\n");
        foreach (var v in verdict.Violations.Take(30))
        {
            var k = starts.FindLastIndex(s => s <= v.Line);
            if (k < 0)
            {
                text.Append($"- line {v.Line}: {v.Message} [policy: {v.Policy}]\n");
                continue;
            }
            var fileLine = v.Line - starts[k] + 1;
            var original = files[k].Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ElementAtOrDefault(fileLine - 1) ?? "";
            // A continuation line's code is the line after its "%!": two columns on. A header's code moved; its line is enough.
            var header = files[k].Blocks is not null && original.Length > 2 && original.StartsWith("%!", StringComparison.Ordinal) && !char.IsWhiteSpace(original[2]);
            var column = files[k].Blocks is null ? $", column {v.Column}" : header ? "" : $", column {v.Column + 2}";
            text.Append($"- {files[k].Display}:{fileLine}{column}: {v.Message} [policy: {v.Policy}]\n");
        }
        if (verdict.Violations.Count > 30)
            text.Append($"- ... and {verdict.Violations.Count - 30} more.\n");
        return text.ToString().TrimEnd();
    }

    private static CallToolResult Note(CallToolResult result, string note)
    {
        if (result.Content.FirstOrDefault() is TextContentBlock first)
            first.Text = first.Text.TrimEnd() + "\n" + ClientText.Escape(note);
        return result;
    }
}
