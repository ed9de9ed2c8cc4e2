using MatlabMcp.Configuration;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Security;

/// <summary>What a person was asked to approve.</summary>
internal sealed record ApprovalSubject(string Identity, string Session, string Code, IReadOnlyList<string> Reasons);

/// <summary>The person's answer, or why there was none. <see cref="AuditDecision"/> is null only when approved.</summary>
internal sealed record ApprovalVerdict(bool Approved, string? AuditDecision, string Message);

/// <summary>
/// Decides whether code needs a person's approval (approval.mode). Protected functions are found on the tokens, by
/// the same rules as the code policy run over a block list of just those names: a call, command syntax, a handle,
/// or the name passed as text to feval/cellfun/callbacks all count. Where a function name is only known at run time
/// (feval(name), callbacks built from text) the code cannot be cleared, so it is sent for approval too.
/// </summary>
internal sealed class ApprovalPolicy
{
    private readonly string _mode;
    private readonly CodePolicy? _protected;

    public ApprovalPolicy(IOptions<ApprovalOptions> approval, IOptions<EngineOptions> engine)
    {
        _mode = approval.Value.Mode;
        if (_mode == ApprovalOptions.Protected)
            _protected = new CodePolicy(
                new CodePolicyOptions { BlockedFunctions = [.. approval.Value.EffectiveProtectedFunctions], AllowedFunctions = [], ConfinedFunctions = [] },
                CodePolicy.DialectOf(engine.Value));
    }

    /// <summary>Why <paramref name="code"/> needs approval, as shown to the person; null when it does not.</summary>
    public IReadOnlyList<string>? Reasons(string code)
    {
        if (_mode == ApprovalOptions.All)
            return ["approval.mode is 'all': every execution needs a person's approval"];
        if (_protected?.Check(code) is not { IsAllowed: false } found)
            return null;
        return [.. found.Violations.Select(v => v.Policy == PolicyNames.BlockedFunction
                ? $"uses the protected function {v.Subject} (line {v.Line}, column {v.Column})"
                : $"line {v.Line}, column {v.Column}: which function runs is not known before it runs ({v.Subject})")
            .Distinct()];
    }
}
