using System.ComponentModel;
using System.Text.Json;
using MatlabMcp.Analysis;
using MatlabMcp.Configuration;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>check_code: problems in code found without running it (parser, code policy, lint).</summary>
[McpServerToolType]
internal sealed class CheckTools(SessionRegistry sessions, CodePolicy policy, CodeRunner runner, IOptions<ExecutionOptions> execution)
{
    /// <summary>How long the engine may take to parse: far more than any file needs (a 1 MB file parses in well under a second).</summary>
    internal static readonly TimeSpan ParseTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Function names sent to the engine to ask which are built-ins; the bridge looks at no more.</summary>
    private const int MaxNamesAsked = 200;

    [McpServerTool(Name = "check_code", Title = "Check MATLAB/Octave code without running it", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(CodeIssuesReport))]
    [Description("Finds problems in MATLAB/Octave code WITHOUT running it; the workspace is left as it was. Reports, each " +
        "with line and column: syntax errors from the engine's own parser (Octave stops at the first one), what the " +
        "server's code policy would refuse (execute_code would not run it), and a few lint findings that are reliably " +
        "right: blocks, brackets or quotes left open, a function with the name of a built-in, a variable a function " +
        "assigns and never uses, a script value overwritten before it is used. Pass code or path, not both.")]
    public async Task<CallToolResult> CheckCodeAsync(
        RequestContext<CallToolRequestParams> request,
        [Description("The code to check, as text (a script, or a function file's text).")] string? code = null,
        [Description("A .m file to check instead of code: relative to your session folder (e.g. \"analysis.m\"), or an " +
            "absolute path inside one of the server's project folders.")] string? path = null,
        [Description(CodeTools.SessionHelp + " Its engine parses the code; nothing runs there.")] string? session = null,
        [Description(CodeTools.WaitHelp + " At most 60.")] double? wait_seconds = null,
        CancellationToken cancellationToken = default) =>
        await CheckAsync(CallerIdentity.Of(request.User), code, path, session,
            CodeTools.SessionWait(wait_seconds, WorkspaceTools.MaxWaitSeconds), cancellationToken);

    internal async Task<CallToolResult> CheckAsync(string identity, string? code, string? path, string? session, TimeSpan busyWait,
        CancellationToken cancellationToken)
    {
        // 1. What to check: text, or a file's text (a session file, or one inside a project folder).
        if ((code is null) == (path is null))
            return ResultBuilder.Error("Pass either code (the text to check) or path (a .m file), not both and not neither.");
        if (runner.Resolve(identity, session, path, projectPath: null, out var file, pathRequired: false) is { } refused)
            return ResultBuilder.Error(refused);
        var max = execution.Value.MaxCodeChars;
        string text;
        if (file!.Path is not null)
        {
            try
            {
                text = await runner.ReadAsync(file, cancellationToken);
            }
            catch (CodePathException e)
            {
                return ResultBuilder.Error(e.Message);
            }
        }
        else if (code!.Length > max)
            return ResultBuilder.Error($"The code is {code.Length:N0} characters; the limit is {max:N0} (execution.max_code_chars). " +
                "Check a shorter part, or split the file.");
        else
            text = code;

        // 2. What the server sees itself: the code policy and the lint.
        var issues = new List<CodeIssue>();
        foreach (var v in policy.Check(text).Violations)
            issues.Add(new CodeIssue(v.Line, v.Column, IssueSeverity.Error, v.Message, v.Policy, IssueSource.Policy));
        var lint = CodeLint.Check(text, policy.Dialect);

        // 3. What the engine sees: its parser's findings and which function names are its own.
        var notices = new List<string>();
        var parsed = await ParseAsync(identity, session, text, FileName(lint, file.Path), lint, busyWait, notices, cancellationToken);
        issues.AddRange(Merge(parsed, lint));
        var report = CodeIssuesReport.Of(DropDuplicateQuotes(issues), file.Path?.Display, notices.Count == 0 ? null : string.Join(' ', notices));
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = report.Describe() }],
            StructuredContent = JsonSerializer.SerializeToElement(report, AppJson.Default.CodeIssuesReport),
        };
    }

    /// <summary>
    /// The engine's findings (parse errors and built-in names), or null with a notice saying why there are none: a
    /// busy session or an engine that failed does not stop the server's own checks from answering.
    /// </summary>
    private async Task<ParsedCode?> ParseAsync(string identity, string? session, string text, string name, LintResult lint,
        TimeSpan busyWait, List<string> notices, CancellationToken cancellationToken)
    {
        var names = lint.IsClassdef ? [] : lint.Functions.Select(f => f.Name).Distinct(StringComparer.Ordinal).Take(MaxNamesAsked).ToList();
        try
        {
            using var lease = await sessions.AcquireAsync(identity, session, busyWait, cancellationToken);
            if (lease.Notice is { } notice)
                notices.Add(notice);
            // A parse past the bound is left to finish (a bridge op cannot be interrupted): requests queue behind it.
            var response = await lease.Engine.SendAsync(id => new BridgeRequest(id, BridgeRequest.Check, Code: text, Name: name,
                Names: names)).WaitAsync(ParseTimeout, cancellationToken);
            if (!response.Ok || response.Check is not { } frame)
            {
                notices.Add($"The engine could not parse the code: {response.Error?.Message ?? "it gave no answer"}.");
                return null;
            }
            if (frame.Skipped == "classdef")
                notices.Add("Code with the word classdef is not parsed by Octave here (parsing a class definition evaluates its " +
                    "property defaults): only the code policy and the lint checked it.");
            return new ParsedCode(
                [.. frame.Issues.Select(i => new CodeIssue((int)i.Line, (int)i.Column, Severity(i.Severity), i.Message, i.Id, IssueSource.Parser))],
                [.. frame.Builtins]);
        }
        catch (TimeoutException)
        {
            notices.Add($"The engine did not finish parsing within {ParseTimeout.TotalSeconds:0} s; only the code policy and the lint checked it.");
        }
        catch (Exception e) when (e is EngineStartException or EngineDiedException or CapacityException)
        {
            notices.Add($"The engine did not parse the code ({e.Message}); only the code policy and the lint checked it.");
        }
        return null;
    }

    private sealed record ParsedCode(IReadOnlyList<CodeIssue> Issues, IReadOnlyList<string> Builtins);

    /// <summary>
    /// The parser's and the lint's findings together. Octave names only the line after the last when the code ends
    /// with something open (column 0): the lint's finding says what, at its opener, so the two become one.
    /// </summary>
    private static IEnumerable<CodeIssue> Merge(ParsedCode? parsed, LintResult lint)
    {
        var remaining = lint.Issues.ToList();
        foreach (var issue in parsed?.Issues ?? [])
        {
            if (issue.Column > 0)
            {
                yield return issue;
                continue;
            }
            var open = remaining.LastOrDefault(i => i.Id is CodeLint.UnterminatedBlock or CodeLint.UnclosedBracket or CodeLint.UnclosedQuote);
            if (open is null)
            {
                yield return issue with { Column = 1, Message = $"{issue.Message} at the end of the code: something is left open" };
                continue;
            }
            remaining.Remove(open);
            yield return issue with { Line = open.Line, Column = open.Column, Message = $"{issue.Message} at the end of the code: {open.Message}" };
        }
        // Something left open on a line before a located parse error may be its cause (an unclosed '(' makes Octave
        // complain a line later); on that line or after, it is the error itself or a consequence, and the parser says so.
        var firstError = parsed?.Issues.Count > 0 ? parsed.Issues.Min(i => i.Line) : int.MaxValue;
        foreach (var issue in remaining)
            if (issue.Line < firstError || issue.Id is not (CodeLint.UnterminatedBlock or CodeLint.UnclosedBracket or CodeLint.UnclosedQuote))
                yield return issue;
        if (parsed is not null)
            foreach (var issue in CodeLint.Shadowing(lint.Functions, parsed.Builtins))
                yield return issue;
    }

    /// <summary>An unclosed quote is both a policy finding and a lint one at the same place: said once, by the policy.</summary>
    private static IEnumerable<CodeIssue> DropDuplicateQuotes(List<CodeIssue> issues) =>
        issues.Where(i => i.Id != CodeLint.UnclosedQuote ||
            !issues.Exists(p => p.Source == IssueSource.Policy && p.Line == i.Line && p.Column == i.Column));

    /// <summary>
    /// The file name the engine gives the code: the file's own, or a class or function file's own name, so that MATLAB's
    /// analyzer does not flag a name that differs (the bridge takes only an identifier, else its own name).
    /// </summary>
    private static string FileName(LintResult lint, CodePath? file) =>
        file is not null ? Path.GetFileNameWithoutExtension(file.HostPath)
        : lint.OwnName ?? "mcp_check";

    private static IssueSeverity Severity(string severity) => severity switch
    {
        "error" => IssueSeverity.Error,
        "info" => IssueSeverity.Info,
        _ => IssueSeverity.Warning,
    };
}
