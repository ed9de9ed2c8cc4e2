using MatlabMcp.Configuration;
using MatlabMcp.Endpoints.Guidance;
using MatlabMcp.Security;

namespace MatlabMcp.Tests.Discovery;

/// <summary>
/// The guidance texts are built from the configuration in force: the instructions quote its numbers and stay short, the
/// blocked-functions resource lists what code_policy blocks (not a stale default), the guide follows engine.kind.
/// </summary>
public sealed class GuidanceTextTests
{
    [Test]
    [Arguments("octave", true)]
    [Arguments("octave", false)]
    [Arguments("matlab", true)]
    public async Task Instructions_AreShort_AndNameWhatAnAgentNeeds(string engine, bool policy)
    {
        var kind = Enum.Parse<EngineKind>(engine, ignoreCase: true);
        var config = new AppConfig();
        config.Engine.Kind = kind;
        config.CodePolicy.Enabled = policy;
        var text = Instructions.For(config);

        await Assert.That(text.Length).IsLessThan(1_500);
        foreach (var needed in new[] { "session", "job_id", "cancel_job", "mcp_progress", "figure_format", "get_help", GuideResources.GuideUri })
            await Assert.That(text).Contains(needed);
        if (policy)
            await Assert.That(text).Contains(GuideResources.BlockedUri);
        else
            await Assert.That(text).DoesNotContain("refused").Because("with the policy off nothing is refused before it runs");
        if (kind == EngineKind.Octave)
            await Assert.That(text).Contains("Octave 7 is not MATLAB").And.Contains("%!test");
        else
            await Assert.That(text).Contains("MATLAB code").And.DoesNotContain("Octave");
    }

    [Test]
    public async Task Instructions_QuoteTheConfiguredTimesAndBudget()
    {
        var config = new AppConfig();
        config.Execution.SyncTimeoutSeconds = 10;
        config.Output.MaxOutputChars = 5_000;
        config.Sessions.IdleTimeoutSeconds = 1_800;
        var text = Instructions.For(config);

        await Assert.That(text).Contains("after 10 s becomes a job");
        await Assert.That(text).Contains("cut at 5,000 characters");
        await Assert.That(text).Contains("after 30 min idle");
    }

    [Test]
    public async Task BlockedFunctions_ByDefault_GiveReasonAndAlternative()
    {
        var text = BlockedFunctionsGuide.Markdown(new CodePolicyOptions(), new ApprovalOptions());

        await Assert.That(text).Contains("- `system`, `unix`, `dos`, `!`");
        await Assert.That(text).Contains("does not run shell commands").And.Contains("fileread");
        await Assert.That(text).Contains("`eval`").And.Contains("pass functions as handles");
        await Assert.That(text).Contains("`py.*`");
        foreach (var entry in CodePolicyOptions.DefaultBlockedFunctions)
            await Assert.That(text).Contains($"`{entry}`");
        await Assert.That(text).DoesNotContain("approval").Because("approval is off by default");
    }

    [Test]
    public async Task BlockedFunctions_FollowTheConfiguredLists()
    {
        var policy = new CodePolicyOptions { BlockedFunctions = ["system", "my_danger", "eval"], AllowedFunctions = ["eval"] };
        var approval = new ApprovalOptions { Mode = ApprovalOptions.Protected };
        var text = BlockedFunctionsGuide.Markdown(policy, approval);

        await Assert.That(text).Contains("`my_danger`: it is on this server's blocked list");
        await Assert.That(text).DoesNotContain("- `eval`").Because("allowed_functions takes it off the list");
        await Assert.That(text).Contains("Allowed on this server (code_policy.allowed_functions): `eval`");
        await Assert.That(text).DoesNotContain("`popen`").Because("the configured list replaces the default");
        await Assert.That(text).Contains("Needs a person's approval first").And.Contains("`delete`");

        var off = BlockedFunctionsGuide.Markdown(new CodePolicyOptions { Enabled = false }, new ApprovalOptions());
        await Assert.That(off).Contains("code policy is off").And.DoesNotContain("`system`");
    }

    [Test]
    public async Task Guide_FollowsTheEngineKind()
    {
        var octave = GuideResources.Guide(EngineKind.Octave);
        var matlab = GuideResources.Guide(EngineKind.Matlab);

        await Assert.That(octave).StartsWith("# Writing code for this server: GNU Octave 7");
        await Assert.That(octave).Contains("%!test").And.Contains("arguments").And.Contains(GuideResources.BlockedUri);
        await Assert.That(matlab).StartsWith("# Writing code for this server: MATLAB");
        await Assert.That(matlab).Contains("runtests").And.DoesNotContain("%!test");
    }
}
