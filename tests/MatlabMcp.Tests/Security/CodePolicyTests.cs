using MatlabMcp.Configuration;
using MatlabMcp.Security;

namespace MatlabMcp.Tests.Security;

/// <summary>The policy's verdicts, messages and options beyond the corpus.</summary>
public sealed class CodePolicyTests
{
    private static CodePolicyResult Check(string code, Action<CodePolicyOptions>? configure = null,
        MatlabDialect dialect = MatlabDialect.Octave)
    {
        var options = new CodePolicyOptions();
        configure?.Invoke(options);
        return new CodePolicy(options, dialect).Check(code);
    }

    [Fact]
    public void Rejection_NamesFunctionLinePositionPolicyAndAlternative()
    {
        var result = Check("x = 1;\ny = 2; system('ls')");

        var v = Assert.Single(result.Violations);
        Assert.Equal(("blocked-function", "system", 2, 8), (v.Policy, v.Subject, v.Line, v.Column));
        var text = result.Describe();
        Assert.Contains("line 2, column 8", text);
        Assert.Contains("system is blocked", text);
        Assert.Contains("[policy: blocked-function]", text);
        Assert.Contains("use built-in functions instead", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Nothing was executed", text);
    }

    [Fact]
    public void Rejection_ListsEveryProblemAtOnce_InSourceOrder()
    {
        var result = Check("!ls\nf = @unix;\ncellfun('dos', {1});\nsave('/tmp/x.mat')", o => o.ConfinedFunctions = ["save"]);

        Assert.Equal(
            [("shell-escape", 1, 1), ("blocked-function", 2, 6), ("blocked-function", 3, 9), ("path-confinement", 4, 6)],
            result.Violations.Select(v => (v.Policy, v.Line, v.Column)));
    }

    [Fact]
    public void CodeInsideString_IsReportedAtTheString_SayingWhose()
    {
        var result = Check("t = timer('StartDelay', 1, ...\n  'TimerFcn', 'x = 1; system(''ls'')');");

        var v = Assert.Single(result.Violations);
        Assert.Equal(("system", 2, 15), (v.Subject, v.Line, v.Column));
        Assert.Contains("in the TimerFcn callback", v.Message);
    }

    [Fact]
    public void FevalWithVariable_SaysToCallDirectly()
    {
        var v = Assert.Single(Check("f = @sin;\ny = feval(f, 1);").Violations);

        Assert.Equal(("dynamic-code", "feval", 2, 11), (v.Policy, v.Subject, v.Line, v.Column));
        Assert.Contains("call the function directly", v.Message);
    }

    [Fact]
    public void BlockedNameAssigned_SuggestsAnotherVariableName() =>
        Assert.Contains("choose another name", Assert.Single(Check("for run = 1:3, end").Violations).Message);

    [Fact]
    public void CommandReadTwoWays_IsReportedOnce() =>
        Assert.Single(Check("x -system(1)").Violations);

    [Fact]
    public void CarriageReturnEndsComment_CallAfterItIsFound() =>
        Assert.Equal("system", Assert.Single(Check("% note\rsystem('ls')").Violations).Subject);

    [Fact]
    public void OctaveOnlyKeyword_IsANameInMatlab_SoTheQuoteIsATranspose()
    {
        const string code = "x = do'; system('ls'); y = 'a';";

        Assert.Contains(Check(code, dialect: MatlabDialect.Matlab).Violations, v => v.Subject == "system");
    }

    [Fact]
    public void AllowedFunctions_UnblockAndAcceptRunTimeNames()
    {
        Assert.True(Check("system('ls')", o => o.AllowedFunctions = ["system"]).IsAllowed);
        Assert.True(Check("f = @sin; feval(f, 1)", o => o.AllowedFunctions = ["feval"]).IsAllowed);
        Assert.True(Check("y = py.math.sqrt(4);", o => o.AllowedFunctions = ["py.*"]).IsAllowed);
        // Unblocking eval keeps checking the code it is given.
        Assert.Equal("system", Assert.Single(Check("eval('system(1)')", o => o.AllowedFunctions = ["eval"]).Violations).Subject);
    }

    [Fact]
    public void BlockedFunctions_ReplaceTheDefaults()
    {
        Assert.False(Check("my_tool(1)", o => o.BlockedFunctions = ["my_tool"]).IsAllowed);
        Assert.True(Check("system('ls')", o => o.BlockedFunctions = ["my_tool"]).IsAllowed);
        Assert.True(Check("!ls", o => o.BlockedFunctions = ["my_tool"]).IsAllowed);
    }

    [Fact]
    public void ConfinedFunctions_AreConfigurable()
    {
        Assert.True(Check("save('/tmp/x.mat')").IsAllowed);
        var v = Assert.Single(Check("save('/tmp/x.mat')", o => o.ConfinedFunctions = ["save"]).Violations);
        Assert.Equal(("path-confinement", "save"), (v.Policy, v.Subject));
    }

    [Fact]
    public void RunTimeConfinedFunctions_AreNotJudgedByTheirText()
    {
        // The engine's shadows confine these at run time, so '..' and absolute paths are no reason to refuse.
        Assert.True(Check("cd\ncd ..\ncd('/srv/sessions/alice/default/sub')\ndelete('../x.mat')\nrmdir ../old").IsAllowed);
        // ... even when an operator lists them: the list adds static checks only for functions without a shadow.
        Assert.True(Check("cd ..", o => o.ConfinedFunctions = ["cd", "save"]).IsAllowed);
        Assert.False(Check("save('../x.mat')", o => o.ConfinedFunctions = ["cd", "save"]).IsAllowed);
    }

    [Fact]
    public void VariableInFunctionSlot_NotAssignedAHandle_IsRefusedWithAdvice()
    {
        var v = Assert.Single(Check("y = arrayfun(f, 1:3);").Violations);

        Assert.Equal(("dynamic-code", "arrayfun", 1, 14), (v.Policy, v.Subject, v.Line, v.Column));
        Assert.Contains("@sin", v.Message);
        Assert.Contains("@(x) f(x)", v.Message);
    }

    [Fact]
    public void VariableInFunctionSlot_EveryAssignmentMustBeAHandle()
    {
        Assert.True(Check("f = @sin;\ny = arrayfun(f, 1:3);").IsAllowed);
        Assert.False(Check("f = @sin; f = name;\ny = arrayfun(f, 1:3);").IsAllowed);
        Assert.False(Check("f = @sin;\ny = arrayfun(f, 1:3);\nf = name;\ny = arrayfun(f, 1:3);").IsAllowed);
        // A later handle does not make an earlier computed value safe, nor does an assignment in a skipped branch.
        Assert.False(Check("f = name;\nif c, f = @sin; end\ny = arrayfun(f, 1:3);").IsAllowed);
        // An assignment before the last clean one is overwritten by it.
        Assert.True(Check("f = name; disp(f);\nf = @sin;\ny = arrayfun(f, 1:3);").IsAllowed);
    }

    [Fact]
    public void DispatcherHandle_IsRefusedLikeTheFunctionItself()
    {
        var v = Assert.Single(Check("cellfun(@feval, {'sin'}, {0})").Violations);

        Assert.Equal(("dynamic-code", "feval"), (v.Policy, v.Subject));
        Assert.Contains("@feval", v.Message);
        // Unblocked by the operator, it may take run-time names, as feval itself may.
        Assert.True(Check("cellfun(@feval, {'sin'}, {0})", o => o.AllowedFunctions = ["feval"]).IsAllowed);
    }

    [Fact]
    public void LiteralForms_OfBlockedFunctions_PassWhileOtherFormsAreRefused()
    {
        Assert.True(Check("f = str2func('cos'); run('script.m'); run script.m\nassignin('base', 'z', 3)").IsAllowed);
        Assert.Equal("str2func", Assert.Single(Check("f = @str2func;").Violations).Subject);
        Assert.Equal("run", Assert.Single(Check("run(['scr' 'ipt.m'])").Violations).Subject);
        var assignin = Assert.Single(Check("assignin('base', name, 3)").Violations);
        Assert.Equal("assignin", assignin.Subject);
        Assert.DoesNotContain("code built from text", assignin.Message);
        Assert.Contains("literal", assignin.Message);
    }

    [Fact]
    public void Disabled_ChecksNothing()
    {
        var result = Check("system('ls')", o => o.Enabled = false);

        Assert.True(result.IsAllowed);
        Assert.False(result.Enforced);
    }

    [Fact]
    public void CodeStringsNestedTooDeep_AreRefused()
    {
        var code = "disp(1)";
        for (var i = 0; i < 6; i++)
            code = $"evalin('base', '{code.Replace("'", "''", StringComparison.Ordinal)}')";

        var result = Check(code, o => o.AllowedFunctions = ["evalin"]);

        Assert.Contains(result.Violations, v => v.Subject == "nested code");
    }

    [Fact]
    public void ManyViolations_AreListedUpToALimit()
    {
        var result = Check(string.Join("\n", Enumerable.Repeat("system('ls')", 100)));

        Assert.Equal(100, result.Violations.Count);
        Assert.Contains("and 70 more", result.Describe());
    }

    [Fact]
    public void RandomInput_NeverThrows()
    {
        var policy = new CodePolicy(new CodePolicyOptions(), MatlabDialect.Octave);
        var random = new Random(7);
        string[] pieces = ["system", "feval(", "'", "\"", "(", ")", "[", "]", "{", "}", "%{\n", "%}\n", "...\n", "!", ",", ";",
            "\n", " ", "@", ".", "=", "'TimerFcn'", "cellfun", "cd ", "..", "/", "x", "1", "\\", "#", "\r", "regexprep(", "${"];
        for (var run = 0; run < 3000; run++)
        {
            var code = string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
            _ = policy.Check(code).Describe();
        }
    }
}
