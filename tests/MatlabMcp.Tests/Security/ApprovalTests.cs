using System.Text.Json;
using MatlabMcp.Configuration;
using MatlabMcp.Jobs;
using MatlabMcp.Security;
using MatlabMcp.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
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
        return new ApprovalPolicy(config);
    }

    [Theory]
    [InlineData("mkdir('x')")]
    [InlineData("mkdir x")]
    [InlineData("y = 1, mkdir x")]
    [InlineData("h = @mkdir; h('x')")]
    [InlineData("feval('mkdir', 'x')")]
    [InlineData("cellfun('mkdir', {'a', 'b'})")]
    [InlineData("cellfun(@mkdir, {'a'})")]
    [InlineData("delete('f.txt')")]
    [InlineData("feval(name, 'x')")] // which function runs is unknown: a person decides
    public void Protected_UsesProtectedFunction_NeedsApproval(string code) =>
        Assert.NotNull(Policy(ApprovalOptions.Protected, "mkdir", "delete").Reasons(code));

    [Theory]
    [InlineData("x = 1 + 2;")]
    [InlineData("disp('mkdir is just text')")]
    [InlineData("% mkdir('x') in a comment")]
    [InlineData("s.mkdir = 3; s.mkdir(1)")]
    [InlineData("mkdir_count = 4;")]
    [InlineData("feval('sin', 1)")]
    public void Protected_NoProtectedCall_NoApproval(string code) =>
        Assert.Null(Policy(ApprovalOptions.Protected, "mkdir", "delete").Reasons(code));

    [Fact]
    public void Protected_Reason_NamesFunctionAndPlace()
    {
        var reasons = Policy(ApprovalOptions.Protected, "mkdir").Reasons("x = 1;\nmkdir('out')");
        Assert.Equal("uses the protected function mkdir (line 2, column 1)", Assert.Single(reasons!));
    }

    [Fact]
    public void ModeAll_EveryExecutionNeedsApproval() => Assert.NotNull(Policy(ApprovalOptions.All).Reasons("x = 1;"));

    [Fact]
    public void ModeOff_NothingNeedsApproval() => Assert.Null(Policy(ApprovalOptions.Off).Reasons("delete('f.txt')"));

    [Fact]
    public void Config_BadModeOrTimeout_Invalid()
    {
        var config = new AppConfig();
        config.Approval.Mode = "sometimes";
        config.Approval.TimeoutSeconds = 0;
        var errors = config.Validate().ToList();
        Assert.Contains(errors, e => e.Contains("approval.mode"));
        Assert.Contains(errors, e => e.Contains("approval.timeout_seconds"));
    }

    // --- MRTR: the retry that carries the person's answer ---

    private static readonly ApprovalSubject Subject = new("local", "main", "mkdir('x')", ["uses the protected function mkdir"]);

    private static (ApprovalGate Gate, ShiftedTime Time) Gate(double timeoutSeconds = 120)
    {
        var config = new AppConfig();
        config.Approval.TimeoutSeconds = timeoutSeconds;
        var time = new ShiftedTime();
        return (new ApprovalGate(config, time, NullLogger<ApprovalGate>.Instance), time);
    }

    private static InputResponse Answer(string action, bool? approve = null) => InputResponse.FromElicitResult(new ElicitResult
    {
        Action = action,
        Content = approve is null ? null
            : new Dictionary<string, JsonElement> { [ApprovalGate.ApproveField] = JsonDocument.Parse(approve.Value ? "true" : "false").RootElement },
    });

    [Fact]
    public void Retry_AcceptedForSameCode_Approved()
    {
        var (gate, _) = Gate();
        var verdict = gate.FromRetry(Answer("accept", true), gate.State(Subject), Subject);
        Assert.True(verdict.Approved);
    }

    [Fact]
    public void Retry_Declined_DeniedByPerson()
    {
        var (gate, _) = Gate();
        var verdict = gate.FromRetry(Answer("decline"), gate.State(Subject), Subject);
        Assert.False(verdict.Approved);
        Assert.Equal(AuditDecisions.DeniedByPerson, verdict.AuditDecision);
    }

    [Fact]
    public void Retry_CodeSwappedAfterApproval_Refused()
    {
        var (gate, _) = Gate();
        var state = gate.State(Subject);

        var verdict = gate.FromRetry(Answer("accept", true), state, Subject with { Code = "rmdir('/', 's')" });

        Assert.False(verdict.Approved);
        Assert.Contains("different code", verdict.Message);
    }

    [Fact]
    public void Retry_OtherSessionOrIdentity_Refused()
    {
        var (gate, _) = Gate();
        var state = gate.State(Subject);
        Assert.False(gate.FromRetry(Answer("accept", true), state, Subject with { Session = "other" }).Approved);
        Assert.False(gate.FromRetry(Answer("accept", true), state, Subject with { Identity = "mallory" }).Approved);
    }

    [Fact]
    public void Retry_StateEditedOrForeign_Refused()
    {
        var (gate, _) = Gate();
        var state = gate.State(Subject);
        var parts = state.Split('.');
        parts[1] = (long.Parse(parts[1]) + 1).ToString(); // a "fresher" time without the key to sign it
        Assert.False(gate.FromRetry(Answer("accept", true), string.Join('.', parts), Subject).Approved);
        Assert.False(gate.FromRetry(Answer("accept", true), null, Subject).Approved);
        var (otherServer, _) = Gate();
        Assert.False(gate.FromRetry(Answer("accept", true), otherServer.State(Subject), Subject).Approved);
    }

    [Fact]
    public void Retry_AnsweredAfterTimeout_Unanswered()
    {
        var (gate, time) = Gate(timeoutSeconds: 30);
        var state = gate.State(Subject);
        time.Advance(TimeSpan.FromSeconds(31));

        var verdict = gate.FromRetry(Answer("accept", true), state, Subject);

        Assert.False(verdict.Approved);
        Assert.Equal(AuditDecisions.ApprovalUnanswered, verdict.AuditDecision);
    }

    [Fact]
    public void Prompt_LongCode_ExcerptBounded()
    {
        var code = new string('x', 50_000);
        var prompt = ApprovalGate.Prompt(Subject with { Code = code });
        Assert.True(prompt.Message.Length < ApprovalGate.PromptCodeChars + 1000);
        Assert.Contains("more characters", prompt.Message);
        Assert.Contains(ApprovalGate.ApproveField, prompt.RequestedSchema!.Required!);
    }
}
