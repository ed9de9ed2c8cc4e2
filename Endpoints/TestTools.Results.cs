using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MatlabMcp.Execution;
using MatlabMcp.Output;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Endpoints;

internal sealed partial class TestTools
{
    /// <summary>Tests listed in structuredContent at most; past it passes are left out (failures and skips never are).</summary>
    internal const int ListedTests = 100;

    /// <summary>Failures described in the text at most (structuredContent lists them all).</summary>
    private const int DescribedFailures = 20;

    /// <summary>Passes named one by one in the text when there are at most this many.</summary>
    private const int NamedPasses = 10;

    private const int MessageChars = 600;

    /// <summary>
    /// A finished run: the summary and failures first, then the run's own text (what the tests printed, files, figures);
    /// structuredContent carries the tests (that is what the tool is for), with the output beside them, unless a test drew
    /// a figure: then the text carries everything, as for execute_code.
    /// </summary>
    private CallToolResult Shape(CallToolResult result, ExecutionResult.Completed done, List<FoundTestFile> files)
    {
        var report = done.Job.Record.Result ?? results.Report(done.Outcome);
        var found = report.Status == JobState.Completed && report.Value is { ValueKind: JsonValueKind.Array } value && value.GetArrayLength() > 0
            ? value[0].Deserialize(AppJson.Default.EngineTestResults) : null;
        if (found is null)
        {
            // Stopped (time limit, cancel, engine death) or failed: say which test was running when the engine reported last.
            var running = done.Job.LastProgress is { Message.Length: > 0 } last ? last.Message : null;
            var stopped = report.Status is JobState.TimedOut or JobState.Cancelled && running is not null
                ? Note(result, $"The tests stopped while running {ClientText.Escape(running)}.") : result;
            stopped.StructuredContent = JsonSerializer.SerializeToElement(
                Structured(report, done, files, [], 0, report.Message ?? report.Error?.Message), AppJson.Default.TestRunReport);
            return stopped;
        }
        var tests = found.Tests.Select(t => t with
        {
            Name = ClientText.Escape(t.Name), File = ClientText.Escape(t.File),
            Message = string.IsNullOrWhiteSpace(t.Message) ? null : ClientText.Escape(t.Message),
            Line = t.Line > 0 ? t.Line : LineOf(t.Name, files.FirstOrDefault(f => f.Display == t.File)),
        }).ToList();
        var shaped = results.Execution(report with { Value = null }, isError: false, done.Job.Record.Owner, done.Job.Record.Session);
        var text = Summary(found, tests, files.Count, report.ElapsedMs);
        if (shaped.Content.FirstOrDefault() is TextContentBlock first)
            first.Text = first.Text == "(no output)" ? text : $"{text}\nOutput:\n{first.Text}";
        var listed = tests.Count <= ListedTests ? tests : Listed(tests);
        var structured = Structured(report, done, files, listed, tests.Count - listed.Count, null)
            with { Passed = found.Passed, Failed = found.Failed, Skipped = found.Skipped };
        // With a figure the text alone says everything: Claude Code would show the model only structuredContent.
        if (!ResultBuilder.CarriesMedia(shaped))
            shaped.StructuredContent = JsonSerializer.SerializeToElement(structured, AppJson.Default.TestRunReport);
        return shaped;
    }

    private static TestRunReport Structured(ExecutionReport report, ExecutionResult.Completed done, List<FoundTestFile> files,
        List<TestCaseReport> tests, int notListed, string? message) => new()
    {
        Status = report.Status, Tests = tests, TestsNotListed = notListed, Files = [.. files.Select(f => f.Display)],
        Output = report.Output, OutputTruncated = report.OutputTruncated, OutputFile = report.OutputFile,
        ElapsedMs = report.ElapsedMs, JobId = done.Job.Id, Message = message,
    };

    /// <summary>Failures and skips, then the first passes, in file order, up to <see cref="ListedTests"/>.</summary>
    private static List<TestCaseReport> Listed(List<TestCaseReport> tests)
    {
        var keep = tests.Select((t, k) => (t, k)).Where(p => !p.t.Passed).Take(ListedTests).ToList();
        keep.AddRange(tests.Select((t, k) => (t, k)).Where(p => p.t.Passed).Take(Math.Max(0, ListedTests - keep.Count)));
        return [.. keep.OrderBy(p => p.k).Select(p => p.t)];
    }

    private static string Summary(EngineTestResults found, List<TestCaseReport> tests, int fileCount, double elapsedMs)
    {
        var text = new StringBuilder($"{found.Passed} passed, {found.Failed} failed");
        if (found.Skipped > 0)
            text.Append($", {found.Skipped} skipped");
        text.Append(fileCount == 1 ? $" ({tests.FirstOrDefault()?.File ?? "1 file"}" : $" ({fileCount} files").Append($", {elapsedMs:0} ms).\n");
        foreach (var failed in tests.Where(t => !t.Passed && !t.Skipped).Take(DescribedFailures))
            text.Append($"FAIL {failed.File}:{failed.Line} {failed.Name}\n").Append(Indent(failed.Message)).Append('\n');
        if (found.Failed > DescribedFailures)
            text.Append($"... and {found.Failed - DescribedFailures} more failures (structuredContent lists them).\n");
        if (found.Skipped is > 0 and <= NamedPasses)
            foreach (var skipped in tests.Where(t => t.Skipped))
                text.Append($"SKIP {skipped.File}:{skipped.Line} {skipped.Name}: {skipped.Message}\n");
        if (found.Passed is > 0 and <= NamedPasses)
            foreach (var passed in tests.Where(t => t.Passed))
                text.Append($"ok   {passed.File}:{passed.Line} {passed.Name}\n");
        if (tests.Count == 0)
            text.Append("No tests ran.\n");
        return text.ToString().TrimEnd();
    }

    private static string Indent(string? message)
    {
        var text = message ?? "(no message)";
        if (text.Length > MessageChars)
            text = text[..MessageChars] + " [...]";
        return "  " + text.Replace("\n", "\n  ", StringComparison.Ordinal);
    }

    /// <summary>MATLAB's results carry no line: the line of the test's function (or %% section) in its file, else 0.</summary>
    private static int LineOf(string name, FoundTestFile? file)
    {
        if (file is null)
            return 0;
        var procedure = name[(name.LastIndexOf('/') + 1)..];
        if (procedure.Length == 0)
            return 0;
        var pattern = new Regex($@"^\s*(function\b.*\b{Regex.Escape(procedure)}\s*(\(|$)|%%\s*{Regex.Escape(procedure)}\s*$)",
            RegexOptions.None, TimeSpan.FromMilliseconds(100));
        var lines = file.Text.Split('\n');
        for (var k = 0; k < lines.Length; k++)
            if (pattern.IsMatch(lines[k].TrimEnd('\r')))
                return k + 1;
        return 0;
    }
}
