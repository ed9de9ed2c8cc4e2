using System.Text.RegularExpressions;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>
/// Issue 13 through the real server and SDK client: the cut result links its full text, the job tools read it by tail and
/// offset within bounds, list_jobs is bounded, and every out-of-range argument is refused or lowered with a clear word.
/// </summary>
public sealed partial class OutputBudgetToolTests
{
    private const string Print = "for k = 1:20000, fprintf('line %05d\\n', k); end"; // 220,000 characters
    private static readonly string Printed = string.Concat(Enumerable.Range(1, 20000).Select(k => $"line {k:00000}\n"));

    private static string Text(CallToolResult result) => ConfiguredServer.Text(result);

    private static async Task<(ConfiguredServer Server, string JobId, CallToolResult Result)> PrintedAsync()
    {
        var server = await ConfiguredServer.StartAsync();
        var result = await server.CallAsync("execute_code", ("code", Print));
        return (server, JobId().Match(Text(result)).Value, result);
    }

    [Test]
    public async Task ACutResult_LinksItsFullText_AndCarriesNoSecondCopy()
    {
        var (server, job, result) = await PrintedAsync();
        await using var _ = server;

        var link = await Assert.That(result.Content.OfType<ResourceLinkBlock>()).HasSingleItem();
        await Assert.That(link!.Uri).IsEqualTo($"session://main/output/{job}.txt");
        await Assert.That(link.Name).IsEqualTo($"output/{job}.txt");
        await Assert.That(link.MimeType).IsEqualTo("text/plain");
        await Assert.That(link.Size).IsEqualTo(220_000);
        await Assert.That(result.StructuredContent).IsNull(); // the long output travels once, in the text
        await Assert.That(Text(result).Length).IsLessThan(20_200);
        await Assert.That(Text(result)).Contains($"left out here; the full text is in output/{job}.txt ...]");
        var small = await server.CallAsync("execute_code", ("code", "disp(1)"));
        await Assert.That(small.StructuredContent!.Value.GetProperty("output").GetString()).IsEqualTo("1\n"); // short: both
    }

    [Test]
    public async Task GetJobResult_ReadsTheFullOutputByOffset_WithinBounds()
    {
        var (server, job, _) = await PrintedAsync();
        await using var _s = server;

        var first = await server.CallAsync("get_job_result", ("job_id", job), ("offset", 0), ("tail_chars", 110));
        var last = await server.CallAsync("get_job_result", ("job_id", job), ("offset", 219_989));
        var whole = await server.CallAsync("get_job_result", ("job_id", job), ("offset", 100_000));
        var past = await server.CallAsync("get_job_result", ("job_id", job), ("offset", 220_001));
        var huge = await server.CallAsync("get_job_result", ("job_id", job), ("offset", long.MaxValue));
        var negative = await server.CallAsync("get_job_result", ("job_id", job), ("offset", -1));

        await Assert.That(Text(first)).Contains(Printed[..110].TrimEnd('\n')); // the text ends without its last line break
        await Assert.That(Text(first)).Contains("Characters 0 to 110 of 220,000");
        await Assert.That(Text(first)).Contains("the next part starts at offset=110.");
        await Assert.That(Text(last)).EndsWith(Printed[219_989..].TrimEnd('\n'));
        await Assert.That(Text(last)).Contains("that is the end.");
        await Assert.That(Text(whole)).Contains(Printed.Substring(100_000, 20_000)); // the budget's worth, no more
        await Assert.That(Text(whole)).DoesNotContain(Printed.Substring(100_000, 20_011));
        foreach (var beyond in new[] { past, huge })
        {
            await Assert.That(beyond.IsError).IsTrue();
            await Assert.That(Text(beyond)).Contains("is past the end of job " + job + "'s output, which has 220,000 characters");
        }
        await Assert.That(negative.IsError).IsTrue();
        await Assert.That(Text(negative)).StartsWith("offset must be 0 or more");
    }

    [Test]
    public async Task TailChars_IsBounded_AndStatusAndCancelShowOnlyTheEnd()
    {
        var (server, job, _) = await PrintedAsync();
        await using var _s = server;

        var status = await server.CallAsync("get_job_status", ("job_id", job));
        var none = await server.CallAsync("get_job_status", ("job_id", job), ("tail_chars", 0));
        var tail = await server.CallAsync("get_job_result", ("job_id", job), ("tail_chars", 22));
        var huge = await server.CallAsync("get_job_result", ("job_id", job), ("tail_chars", int.MaxValue));
        var negative = await server.CallAsync("get_job_status", ("job_id", job), ("tail_chars", -1));
        var cancelNegative = await server.CallAsync("cancel_job", ("job_id", job), ("tail_chars", -3));

        var soFar = ConfiguredServer.Structured(status, "output_so_far")!;
        await Assert.That(soFar.Length).IsLessThanOrEqualTo(2_000 + 100);
        await Assert.That(soFar).EndsWith("line 20000\n");
        await Assert.That(soFar).StartsWith("[... earlier output left out; get_job_result with offset reads the full text ...]\nline ");
        await Assert.That(ConfiguredServer.Structured(none, "output_so_far")).IsEqualTo("");
        await Assert.That(Text(tail)).Contains("left out; get_job_result with offset reads the full text ...]\nline 19999\nline 20000");
        await Assert.That(Text(huge)).Contains("tail_chars 2,147,483,647 is above this server's ceiling; 20,000 applies (output.max_output_chars).");
        await Assert.That(Text(huge).Length).IsLessThan(20_500);
        foreach (var refused in new[] { negative, cancelNegative })
        {
            await Assert.That(refused.IsError).IsTrue();
            await Assert.That(Text(refused)).StartsWith("tail_chars must be 0 or more");
        }
    }

    [Test]
    public async Task ListJobs_HasALimit_AndAStateFilter_AndSaysHowManyMore()
    {
        await using var server = await ConfiguredServer.StartAsync();
        for (var i = 0; i < 5; i++)
            await server.CallAsync("execute_code", ("code", $"k{i} = {i};"));
        await server.CallAsync("execute_code", ("code", "error('boom')"));

        var two = await server.CallAsync("list_jobs", ("limit", 2));
        var failed = await server.CallAsync("list_jobs", ("state", "failed"));
        var many = await server.CallAsync("list_jobs", ("limit", 100_000));
        var zero = await server.CallAsync("list_jobs", ("limit", 0));
        var negative = await server.CallAsync("list_jobs", ("limit", -1));
        var unknown = await server.CallAsync("list_jobs", ("state", "finished"));

        await Assert.That(two.StructuredContent!.Value.GetProperty("jobs").GetArrayLength()).IsEqualTo(2);
        await Assert.That(two.StructuredContent.Value.GetProperty("total").GetInt32()).IsEqualTo(6);
        await Assert.That(Text(two)).EndsWith("\n(2 newest of your 6 jobs; 4 more: limit shows up to 200, state filters.)");
        await Assert.That(Text(two).Split('\n')[0]).Contains("error('boom')"); // newest first
        await Assert.That(failed.StructuredContent!.Value.GetProperty("jobs").GetArrayLength()).IsEqualTo(1);
        await Assert.That(Text(failed)).Contains("error('boom')");
        await Assert.That(Text(many)).EndsWith("\nlimit 100,000 is above the most list_jobs shows; 200 applies.");
        await Assert.That(many.StructuredContent!.Value.GetProperty("jobs").GetArrayLength()).IsEqualTo(6);
        foreach (var refused in new[] { zero, negative })
        {
            await Assert.That(refused.IsError).IsTrue();
            await Assert.That(Text(refused)).StartsWith("limit must be at least 1");
        }
        await Assert.That(unknown.IsError).IsTrue();
        await Assert.That(Text(unknown)).StartsWith("Unknown state 'finished': use one of queued, running, completed, failed");
    }

    [Test]
    public async Task ExecuteCode_MaxOutputChars_LowersNeverRaises()
    {
        await using var server = await ConfiguredServer.StartAsync(("output__max_output_chars", "3000"));

        var low = await server.CallAsync("execute_code", ("code", Print), ("max_output_chars", 300));
        var high = await server.CallAsync("execute_code", ("code", Print), ("max_output_chars", 1_000_000));
        var zero = await server.CallAsync("execute_code", ("code", "x = 1"), ("max_output_chars", 0));
        var negative = await server.CallAsync("execute_code", ("code", "x = 1"), ("max_output_chars", -20));

        await Assert.That(Text(low).Length).IsLessThan(300 + 150);
        await Assert.That(Text(high).Length).IsBetween(3_000, 3_300).Inclusive();
        await Assert.That(Regex.Matches(Text(high), "ceiling").Count).IsEqualTo(1); // said once
        await Assert.That(Text(high)).StartsWith("Note: max_output_chars 1,000,000 is above this server's ceiling; 3,000 applies");
        foreach (var refused in new[] { zero, negative })
        {
            await Assert.That(refused.IsError).IsTrue();
            await Assert.That(Text(refused)).IsEqualTo("max_output_chars must be at least 100 (and at most 3,000, output.max_output_chars); omit it for that ceiling.");
        }
    }

    [Test]
    public async Task APolicyRefusal_StatesItsMessageOnce()
    {
        await using var server = await ConfiguredServer.StartAsync();

        var refused = await server.CallAsync("execute_code", ("code", "system('ls')"));

        var text = Text(refused);
        await Assert.That(Regex.Matches(text, "system is blocked").Count).IsEqualTo(1);
        await Assert.That(Regex.Matches(text, "The code was not run").Count).IsEqualTo(1);
        var structured = refused.StructuredContent!.Value.GetRawText();
        await Assert.That(Regex.Matches(structured, "system is blocked").Count).IsEqualTo(1); // in the violation, not again in message
        await Assert.That(Regex.Matches(structured, "The code was not run").Count).IsEqualTo(1);
    }

    [GeneratedRegex("job-[0-9a-f]{12}")]
    private static partial Regex JobId();
}
