using System.Text;
using MatlabMcp.Endpoints.Guidance;
using MatlabMcp.Output;
using MatlabMcp.Tests.EndToEnd;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Discovery;

/// <summary>
/// Guidance as an MCP client meets it (real server over stdio, official C# SDK client, real Octave): the instructions
/// at initialize, the guide and blocked-functions resources, the prompts rendered with the caller's own job and file, and
/// completions of the caller's sessions, files, variables and jobs.
/// </summary>
[ClassDataSource<DiscoveryServer>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(GuidanceEndToEndTests))]
public sealed class GuidanceEndToEndTests(DiscoveryServer fixture)
{
    private McpClient Client => fixture.Server.Client;

    private static string PromptText(GetPromptResult prompt) => ((TextContentBlock)prompt.Messages.Single().Content).Text;

    private Task<CompleteResult> CompleteAsync(Reference reference, string argument, string value, string? session = null) =>
        Client.CompleteAsync(new CompleteRequestParams
        {
            Ref = reference,
            Argument = new Argument { Name = argument, Value = value },
            Context = session is null ? null : new CompleteContext { Arguments = new Dictionary<string, string> { ["session"] = session } },
        }).AsTask();

    [Test]
    public async Task Initialize_CarriesTheInstructions()
    {
        var text = Client.ServerInstructions!;

        await Assert.That(text.Length).IsLessThan(1_500);
        await Assert.That(text).Contains("after 30 s becomes a job").Because("the default execution.sync_timeout");
        await Assert.That(text).Contains(GuideResources.GuideUri);
    }

    [Test]
    public async Task Resources_ListTheGuides_AndReadThem()
    {
        var listed = (await Client.ListResourcesAsync()).Select(r => r.Uri).ToList();
        await Assert.That(listed).Contains(GuideResources.GuideUri).And.Contains(GuideResources.BlockedUri);

        var blocked = (TextResourceContents)(await Client.ReadResourceAsync(GuideResources.BlockedUri)).Contents.Single();
        await Assert.That(blocked.MimeType).IsEqualTo("text/markdown");
        await Assert.That(blocked.Text).Contains("`system`").And.Contains("does not run shell commands or other programs. Use built-in functions instead");

        var guide = (TextResourceContents)(await Client.ReadResourceAsync(GuideResources.GuideUri)).Contents.Single();
        await Assert.That(guide.Text).StartsWith("# Writing code for this server: GNU Octave 7").Because("engine.kind is octave");
    }

    [Test]
    public async Task ExplainError_QuotesTheCallersLastFailure()
    {
        await fixture.Server.CallAsync("execute_code", ("code", "ee_a = 1;\nee_b = ee_missing_thing + ee_a"), ("session", "guide"));

        var prompt = await Client.GetPromptAsync("explain_error");
        var text = PromptText(prompt);
        await Assert.That(text).Contains("ee_b = ee_missing_thing + ee_a");
        await Assert.That(text).Contains("Octave:undefined-function");
        await Assert.That(text).Contains("session guide");
        await Assert.That(text.Length).IsLessThan(2_000);

        var unknown = PromptText(await Client.GetPromptAsync("explain_error", new Dictionary<string, object?> { ["job_id"] = "job-000000000000" }));
        await Assert.That(unknown).Contains("is not one of mine");
    }

    [Test]
    public async Task WriteTests_CarriesTheFile_AndHowToRunOctaveTests()
    {
        const string source = "function y = wt_square(x)\n% WT_SQUARE  Squares x.\n  y = x .^ 2;\nend\n";
        await fixture.Server.CallAsync("upload_file", ("path", "wt_square.m"), ("session", "guide"),
            ("content_base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(source))));

        var text = PromptText(await Client.GetPromptAsync("write_tests",
            new Dictionary<string, object?> { ["path"] = "wt_square.m", ["session"] = "guide" }));
        await Assert.That(text).Contains(source.TrimEnd());
        await Assert.That(text).Contains("%!test").And.Contains("run_tests (path test_wt_square.m)");

        var traversal = PromptText(await Client.GetPromptAsync("write_tests",
            new Dictionary<string, object?> { ["path"] = "../../../etc/passwd", ["session"] = "guide" }));
        await Assert.That(traversal).DoesNotContain("root:").And.Contains("Read the file first");
    }

    [Test]
    public async Task ProfileAndDescribe_Render()
    {
        var profile = PromptText(await Client.GetPromptAsync("profile_code", new Dictionary<string, object?> { ["code"] = "s = cumsum(1:10);" }));
        await Assert.That(profile).Contains("s = cumsum(1:10);").And.Contains("profshow(profile('info'), 15)");

        var describe = PromptText(await Client.GetPromptAsync("describe_variable", new Dictionary<string, object?> { ["name"] = "ee_a" }));
        await Assert.That(describe).Contains("ee_a").And.Contains("get_variable");
    }

    [Test]
    public async Task Completions_OfferTheSessionsVariablesFilesAndJobs()
    {
        await fixture.Server.CallAsync("execute_code", ("code",
            "cmp_alpha = 1; cmp_alpine = 2; other_thing = 3; mkdir('cmp_results'); fclose(fopen('cmp_results/run1.txt', 'w'));"),
            ("session", "complete"));

        var variables = await CompleteAsync(new PromptReference { Name = "describe_variable" }, "name", "cmp_al", "complete");
        await Assert.That(variables.Completion.Values).IsEquivalentTo(new[] { "cmp_alpha", "cmp_alpine" });

        var folder = await CompleteAsync(new PromptReference { Name = "write_tests" }, "path", "cmp_", "complete");
        await Assert.That(folder.Completion.Values).IsEquivalentTo(new[] { "cmp_results/" });
        var file = await CompleteAsync(new ResourceTemplateReference { Uri = SessionResources.Template }, "path", "cmp_results/r", "complete");
        await Assert.That(file.Completion.Values).IsEquivalentTo(new[] { "cmp_results/run1.txt" });
        var escape = await CompleteAsync(new PromptReference { Name = "write_tests" }, "path", "../", "complete");
        await Assert.That(escape.Completion.Values).IsEmpty();

        var sessions = await CompleteAsync(new PromptReference { Name = "profile_code" }, "session", "comp");
        await Assert.That(sessions.Completion.Values).IsEquivalentTo(new[] { "complete" });

        var jobs = await CompleteAsync(new PromptReference { Name = "explain_error" }, "job_id", "job-");
        await Assert.That(jobs.Completion.Values.Count).IsGreaterThan(0);
        await Assert.That(jobs.Completion.Values.All(j => j.StartsWith("job-", StringComparison.Ordinal))).IsTrue();

        var foreign = await CompleteAsync(new PromptReference { Name = "no_such_prompt" }, "name", "", "complete");
        await Assert.That(foreign.Completion.Values).IsEmpty();
    }

    [Test]
    public async Task VariableCompletion_OfASessionWithoutEngine_IsEmpty_UntilCodeRuns()
    {
        await fixture.Server.CallAsync("upload_file", ("path", "only.txt"), ("session", "files-only"),
            ("content_base64", Convert.ToBase64String("x"u8.ToArray())));

        // upload_file made the session's folder but no engine; a completion does not start one (Completions.VariablesAsync).
        var variables = await CompleteAsync(new PromptReference { Name = "describe_variable" }, "name", "", "files-only");
        await Assert.That(variables.Completion.Values).IsEmpty();
        var files = await CompleteAsync(new PromptReference { Name = "write_tests" }, "path", "", "files-only");
        await Assert.That(files.Completion.Values).IsEquivalentTo(new[] { "only.txt" });

        await fixture.Server.CallAsync("execute_code", ("code", "files_var = 1;"), ("session", "files-only"));
        var started = await CompleteAsync(new PromptReference { Name = "describe_variable" }, "name", "", "files-only");
        await Assert.That(started.Completion.Values).Contains("files_var");
    }
}
