using System.Text.Json;
using MatlabMcp.Configuration;
using MatlabMcp.Endpoints;
using MatlabMcp.Jobs;
using MatlabMcp.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Security;

/// <summary>Who must be asked (<see cref="ApprovalPolicy"/>) and how an MRTR retry's answer is judged (<see cref="ApprovalGate"/>).</summary>
public sealed class ApprovalTests
{
    private static ApprovalPolicy Policy(string mode, params string[] protectedFunctions)
    {
        var config = new AppConfig();
        config.Approval.Mode = mode;
        if (protectedFunctions.Length > 0)
            config.Approval.ProtectedFunctions = protectedFunctions;
        return new ApprovalPolicy(Options.Create(config.Approval), Options.Create(config.Engine));
    }

    [Test]
    [Arguments("mkdir('x')")]
    [Arguments("mkdir x")]
    [Arguments("y = 1, mkdir x")]
    [Arguments("h = @mkdir; h('x')")]
    [Arguments("feval('mkdir', 'x')")]
    [Arguments("cellfun('mkdir', {'a', 'b'})")]
    [Arguments("cellfun(@mkdir, {'a'})")]
    [Arguments("delete('f.txt')")]
    [Arguments("feval(name, 'x')")] // which function runs is unknown: a person decides
    public async Task Protected_UsesProtectedFunction_NeedsApproval(string code) =>
        await Assert.That(Policy(ApprovalOptions.Protected, "mkdir", "delete").Reasons(code)).IsNotNull();

    [Test]
    [Arguments("x = 1 + 2;")]
    [Arguments("disp('mkdir is just text')")]
    [Arguments("% mkdir('x') in a comment")]
    [Arguments("s.mkdir = 3; s.mkdir(1)")]
    [Arguments("mkdir_count = 4;")]
    [Arguments("feval('sin', 1)")]
    public async Task Protected_NoProtectedCall_NoApproval(string code) =>
        await Assert.That(Policy(ApprovalOptions.Protected, "mkdir", "delete").Reasons(code)).IsNull();

    [Test]
    public async Task Protected_Reason_NamesFunctionAndPlace()
    {
        var reasons = Policy(ApprovalOptions.Protected, "mkdir").Reasons("x = 1;\nmkdir('out')");
        await Assert.That((await Assert.That(reasons!).HasSingleItem())).IsEqualTo("uses the protected function mkdir (line 2, column 1)");
    }

    [Test]
    public async Task ModeAll_EveryExecutionNeedsApproval() => await Assert.That(Policy(ApprovalOptions.All).Reasons("x = 1;")).IsNotNull();

    [Test]
    public async Task ModeOff_NothingNeedsApproval() => await Assert.That(Policy(ApprovalOptions.Off).Reasons("delete('f.txt')")).IsNull();

    [Test]
    public async Task Config_BadModeOrTimeout_Invalid()
    {
        var config = new AppConfig();
        config.Approval.Mode = "sometimes";
        config.Approval.TimeoutSeconds = 0;
        var errors = config.Validate().ToList();
        await Assert.That(errors).Contains(e => e.Contains("approval.mode"));
        await Assert.That(errors).Contains(e => e.Contains("approval.timeout_seconds"));
    }

    // --- MRTR: the retry that carries the person's answer ---

    private static readonly ApprovalSubject Subject = new("local", "main", "mkdir('x')", ["uses the protected function mkdir"]);

    private static (ApprovalGate Gate, FakeTimeProvider Time) Gate(double timeoutSeconds = 120)
    {
        var config = new AppConfig();
        config.Approval.TimeoutSeconds = timeoutSeconds;
        var time = new FakeTimeProvider();
        return (new ApprovalGate(Options.Create(config.Approval), time, NullLogger<ApprovalGate>.Instance), time);
    }

    private static InputResponse Answer(string action, bool? approve = null) => InputResponse.FromElicitResult(new ElicitResult
    {
        Action = action,
        Content = approve is null ? null
            : new Dictionary<string, JsonElement> { [ApprovalGate.ApproveField] = JsonDocument.Parse(approve.Value ? "true" : "false").RootElement },
    });

    [Test]
    public async Task Retry_AcceptedForSameCode_Approved()
    {
        var (gate, _) = Gate();
        var verdict = gate.FromRetry(Answer("accept", true), gate.State(Subject), Subject);
        await Assert.That(verdict.Approved).IsTrue();
    }

    [Test]
    public async Task Retry_Declined_DeniedByPerson()
    {
        var (gate, _) = Gate();
        var verdict = gate.FromRetry(Answer("decline"), gate.State(Subject), Subject);
        await Assert.That(verdict.Approved).IsFalse();
        await Assert.That(verdict.AuditDecision).IsEqualTo(AuditDecisions.DeniedByPerson);
    }

    [Test]
    public async Task Retry_CodeSwappedAfterApproval_Refused()
    {
        var (gate, _) = Gate();
        var state = gate.State(Subject);

        var verdict = gate.FromRetry(Answer("accept", true), state, Subject with { Code = "rmdir('/', 's')" });

        await Assert.That(verdict.Approved).IsFalse();
        await Assert.That(verdict.Message).Contains("different code");
    }

    [Test]
    public async Task Retry_OtherSessionOrIdentity_Refused()
    {
        var (gate, _) = Gate();
        var state = gate.State(Subject);
        await Assert.That(gate.FromRetry(Answer("accept", true), state, Subject with { Session = "other" }).Approved).IsFalse();
        await Assert.That(gate.FromRetry(Answer("accept", true), state, Subject with { Identity = "mallory" }).Approved).IsFalse();
    }

    [Test]
    public async Task Retry_StateEditedOrForeign_Refused()
    {
        var (gate, _) = Gate();
        var state = gate.State(Subject);
        var parts = state.Split('.');
        parts[1] = (long.Parse(parts[1]) + 1).ToString(); // a "fresher" time without the key to sign it
        await Assert.That(gate.FromRetry(Answer("accept", true), string.Join('.', parts), Subject).Approved).IsFalse();
        await Assert.That(gate.FromRetry(Answer("accept", true), null, Subject).Approved).IsFalse();
        var (otherServer, _) = Gate();
        await Assert.That(gate.FromRetry(Answer("accept", true), otherServer.State(Subject), Subject).Approved).IsFalse();
    }

    [Test]
    public async Task Retry_AnsweredAfterTimeout_Unanswered()
    {
        var (gate, time) = Gate(timeoutSeconds: 30);
        var state = gate.State(Subject);
        time.Advance(TimeSpan.FromSeconds(31));

        var verdict = gate.FromRetry(Answer("accept", true), state, Subject);

        await Assert.That(verdict.Approved).IsFalse();
        await Assert.That(verdict.AuditDecision).IsEqualTo(AuditDecisions.ApprovalUnanswered);
    }

    [Test]
    public async Task Prompt_LongCode_ExcerptBounded()
    {
        var code = new string('x', 50_000);
        var prompt = ApprovalGate.Prompt(Subject with { Code = code });
        await Assert.That(prompt.Message.Length < ApprovalGate.PromptCodeChars + 1000).IsTrue();
        await Assert.That(prompt.Message).Contains("more characters");
        await Assert.That(prompt.RequestedSchema!.Required!).Contains(ApprovalGate.ApproveField);
    }
}
