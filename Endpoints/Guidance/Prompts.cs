using System.ComponentModel;
using System.Text;
using MatlabMcp.Configuration;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints.Guidance;

/// <summary>
/// Slash commands for the person driving the agent. Each renders one short user message that carries what the agent
/// needs at once (the failed code and its error, the file to test) and names the tools to use, so the agent starts
/// working instead of looking things up. Everything read belongs to the caller: their jobs, their session's files.
/// </summary>
[McpServerPromptType]
internal sealed class Prompts(JobManager jobs, CodeRunner runner, IOptions<EngineOptions> engine)
{
    /// <summary>Most characters of code, output or a file a prompt quotes: a prompt is read before any work starts.</summary>
    internal const int MaxQuoted = 8_000;

    private bool Octave => engine.Value.Kind == EngineKind.Octave;

    [McpServerPrompt(Name = "explain_error", Title = "Explain an error")]
    [Description("Explains why code failed and how to fix it: a job's code, error and stack (your last failed job by default).")]
    public GetPromptResult ExplainError(
        RequestContext<GetPromptRequestParams> request,
        [Description("The job_id of the failed run (optional: your most recent failed job).")] string? job_id = null)
    {
        var owner = CallerIdentity.Of(request.User);
        var job = string.IsNullOrWhiteSpace(job_id)
            ? jobs.List(owner, 1, JobState.Failed).Jobs.FirstOrDefault()
            : jobs.Find(owner, job_id.Trim());
        if (job is null)
            return Message("Explain an error", job_id is null
                ? "I have no failed job to explain yet. Run the code with execute_code; if it fails, explain the error identifier, " +
                  "message and stack it returns, find the cause (get_help and which for the functions involved) and propose the smallest fix."
                : $"Job {Quoted(job_id, 40)} is not one of mine (list_jobs lists them). Find my failed job and explain its error.");
        var text = new StringBuilder()
            .Append($"Explain why this {EngineName} code failed and propose the smallest fix. Job {job.Id}, session {job.Session}.\n\n")
            .Append("Code:\n```matlab\n").Append(Quoted(job.Code, MaxQuoted)).Append("\n```\n");
        if (job.Result?.Error is { } error)
        {
            text.Append($"\nError {(error.Identifier.Length > 0 ? error.Identifier + ": " : "")}{error.Message}\n");
            if (error.Stack is { Count: > 0 } stack)
                text.Append("Stack: ").AppendJoin(" <- ", stack.Select(f => f.Column > 0 ? $"{f.Name} line {f.Line} col {f.Column}" : $"{f.Name} line {f.Line}")).Append('\n');
        }
        else
            text.Append($"\nState: {job.State}. {job.Result?.Message ?? job.Error ?? "get_job_result shows the details."}\n");
        if (job.Result?.Output is { Length: > 0 } printed)
            text.Append("\nOutput before the error (its end):\n```\n").Append(Quoted(Tail(printed, 1_500), 1_600)).Append("\n```\n");
        text.Append("\nUse get_help and which on the functions in the stack (a variable or file may shadow a function), " +
            $"check the fix with execute_code in session {job.Session}, and say what was wrong in one or two sentences.");
        return Message($"Explain the error of job {job.Id}", text.ToString());
    }

    [McpServerPrompt(Name = "write_tests", Title = "Write tests for a file")]
    [Description("Writes tests for a function file of your session and runs them.")]
    public async Task<GetPromptResult> WriteTestsAsync(
        RequestContext<GetPromptRequestParams> request,
        [Description("The .m file to test: relative to the session folder (e.g. \"myfun.m\") or inside a project folder.")] string path,
        [Description("The session the file is in (optional; default main).")] string? session = null,
        CancellationToken cancellationToken = default)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var text = new StringBuilder($"Write tests for {Quoted(path, 200)} (session {Quoted(session ?? SessionRegistry.DefaultName, 40)}). ");
        text.Append(Octave
            ? $"Put them in test_{name}.m as Octave test blocks (%!test with assert, %!assert (…), %!error <message> for expected " +
              $"errors), then run them with execute_code: test('test_{name}.m', 'verbose')."
            : $"Write a function-based test file test_{name}.m (tests = functiontests(localfunctions) with one local function " +
              $"per case, verifyEqual/verifyError), then run it with execute_code: runtests('test_{name}').");
        text.Append(" Cover typical inputs, edge cases (empty, scalar, NaN, wrong type) and the errors the function raises; " +
            "fix the tests, not the file, unless the file is wrong (then say so).\n");
        if (await FileTextAsync(request, session, path, cancellationToken) is { } source)
            text.Append("\nThe file:\n```matlab\n").Append(source).Append("\n```\n");
        else
            text.Append("\nRead the file first with read_file.\n");
        return Message($"Write tests for {path}", text.ToString());
    }

    [McpServerPrompt(Name = "profile_code", Title = "Profile code")]
    [Description("Profiles code in your session and explains where the time goes and how to make it faster.")]
    public GetPromptResult ProfileCode(
        [Description("The MATLAB/Octave statements to profile.")] string code,
        [Description("The session to run in (optional; default main).")] string? session = null)
    {
        var report = Octave
            ? "profile off; profshow(profile('info'), 15)"
            : "profile off; s = profile('info'); T = sortrows(struct2table(s.FunctionTable), 'TotalTime', 'descend'); " +
              "disp(T(1:min(15, height(T)), {'FunctionName', 'NumCalls', 'TotalTime'}))";
        var text = $"Profile this code in session {Quoted(session ?? SessionRegistry.DefaultName, 40)} with execute_code, wrapped as " +
            $"`profile on;` … `{report}`:\n```matlab\n{Quoted(code, MaxQuoted)}\n```\n" +
            "Then say which functions and lines take the time, and propose concrete speed-ups (vectorisation, preallocation, " +
            "avoiding repeated work) with the expected gain; measure a change with tic/toc before recommending it.";
        return Message("Profile code", text);
    }

    [McpServerPrompt(Name = "describe_variable", Title = "Describe a variable")]
    [Description("Summarises a workspace variable: class, size, ranges, missing values and anything unusual.")]
    public GetPromptResult DescribeVariable(
        [Description("The variable's name, as get_workspace lists it.")] string name,
        [Description("The session it is in (optional; default main).")] string? session = null) =>
        Message($"Describe {name}", $"Describe the variable {Quoted(name, 63)} of session {Quoted(session ?? SessionRegistry.DefaultName, 40)}: " +
            "read it with get_variable (a large value comes back cut; then compute min, max, mean, NaN counts or field names with " +
            "execute_code rather than printing it), and say in a few lines what it holds and anything unusual.");

    private string EngineName => Octave ? "GNU Octave" : "MATLAB";

    /// <summary>
    /// The file's text when the one path rule (<see cref="CodePaths"/>: the caller's session folder or a project folder)
    /// lets the caller read it, within <see cref="MaxQuoted"/>; else null, and the prompt asks the agent to read it.
    /// </summary>
    private async Task<string?> FileTextAsync(RequestContext<GetPromptRequestParams> request, string? session, string path,
        CancellationToken cancellationToken)
    {
        if (runner.Resolve(CallerIdentity.Of(request.User), session, path, null, out var file) is not null)
            return null;
        try
        {
            return Quoted(await runner.ReadAsync(file!, cancellationToken), MaxQuoted);
        }
        catch (CodePathException)
        {
            return null;
        }
    }

    private static string Tail(string text, int max) => text.Length <= max ? text : "…" + text[^max..];

    /// <summary>The caller's or an engine's text in a prompt: bounded, and with terminal controls made visible.</summary>
    private static string Quoted(string text, int max) => ClientText.Escape(text.Length <= max ? text : text[..max] + "\n[… cut]");

    private static GetPromptResult Message(string description, string text) => new()
    {
        Description = description,
        Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = text } }],
    };
}
