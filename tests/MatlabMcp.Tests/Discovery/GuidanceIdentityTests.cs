using MatlabMcp.Output;
using MatlabMcp.Tests.EndToEnd;
using MatlabMcp.Tests.Http;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Discovery;

/// <summary>
/// Over HTTP with two bearer tokens: completions, prompts and discovery answer each identity from its own sessions only,
/// so nothing of alice's (session names, variables, files, jobs, functions) reaches bob.
/// </summary>
[ClassDataSource<AuthenticatedServerFixture>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(GuidanceIdentityTests))]
public sealed class GuidanceIdentityTests(AuthenticatedServerFixture fixture)
{
    private static Task<CompleteResult> CompleteAsync(McpClient client, Reference reference, string argument, string value, string? session) =>
        client.CompleteAsync(new CompleteRequestParams
        {
            Ref = reference,
            Argument = new Argument { Name = argument, Value = value },
            Context = session is null ? null : new CompleteContext { Arguments = new Dictionary<string, string> { ["session"] = session } },
        }).AsTask();

    [Test]
    public async Task AnotherIdentity_CompletesNothingOfAlices()
    {
        await using var alice = await fixture.ConnectAsync(fixture.AliceToken, "2025-11-25");
        await using var bob = await fixture.ConnectAsync(fixture.BobToken, "2025-11-25");
        var run = await alice.CallToolAsync("execute_code", ServerProcess.Args(("code",
            "secret_value = 42; fclose(fopen('secret_notes.txt', 'w')); f = fopen('secret_fn.m', 'w'); " +
            "fprintf(f, 'function secret_fn()\\n%% SECRET_FN  Alice''s own.\\nend\\n'); fclose(f); missing_call_x()"), ("session", "vault")));
        await Assert.That(run.IsError).IsTrue().Because("the last statement fails on purpose, for explain_error");

        var variable = new PromptReference { Name = "describe_variable" };
        var path = new PromptReference { Name = "write_tests" };
        var files = new ResourceTemplateReference { Uri = SessionResources.Template };
        await Assert.That((await CompleteAsync(alice, variable, "name", "secret", "vault")).Completion.Values).IsEquivalentTo(new[] { "secret_value" });
        await Assert.That((await CompleteAsync(alice, files, "path", "secret_n", "vault")).Completion.Values).IsEquivalentTo(new[] { "secret_notes.txt" });
        await Assert.That((await CompleteAsync(alice, path, "session", "va", null)).Completion.Values).IsEquivalentTo(new[] { "vault" });

        await Assert.That((await CompleteAsync(bob, variable, "name", "", "vault")).Completion.Values).IsEmpty();
        await Assert.That((await CompleteAsync(bob, files, "path", "", "vault")).Completion.Values).IsEmpty();
        await Assert.That((await CompleteAsync(bob, path, "session", "", null)).Completion.Values).DoesNotContain("vault");
        await Assert.That((await CompleteAsync(bob, new PromptReference { Name = "explain_error" }, "job_id", "", null)).Completion.Values)
            .IsEmpty().Because("bob has run nothing");

        var bobsExplain = await bob.GetPromptAsync("explain_error");
        var text = ((TextContentBlock)bobsExplain.Messages.Single().Content).Text;
        await Assert.That(text).DoesNotContain("secret_value").And.Contains("no failed job");
        var alicesExplain = ((TextContentBlock)(await alice.GetPromptAsync("explain_error")).Messages.Single().Content).Text;
        await Assert.That(alicesExplain).Contains("missing_call_x");

        var bobsHelp = await bob.CallToolAsync("get_help", ServerProcess.Args(("name", "secret_fn"), ("session", "vault")));
        await Assert.That(bobsHelp.IsError).IsTrue().Because("bob's session 'vault' is his own, with its own folder");
        var alicesHelp = await alice.CallToolAsync("get_help", ServerProcess.Args(("name", "secret_fn"), ("session", "vault")));
        await Assert.That(ConfiguredServer.Text(alicesHelp)).Contains("Alice's own.");
    }
}
