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

    [Test]
    public async Task Rejection_NamesFunctionLinePositionPolicyAndAlternative()
    {
        var result = Check("x = 1;\ny = 2; system('ls')");

        var v = await Assert.That(result.Violations).HasSingleItem();
        await Assert.That((v.Policy, v.Subject, v.Line, v.Column)).IsEqualTo(("blocked-function", "system", 2, 8));
        var text = result.Describe();
        await Assert.That(text).Contains("line 2, column 8");
        await Assert.That(text).Contains("system is blocked");
        await Assert.That(text).Contains("[policy: blocked-function]");
        await Assert.That(text).Contains("use built-in functions instead", StringComparison.OrdinalIgnoreCase);
        await Assert.That(text).Contains("Nothing was executed");
    }

    [Test]
    public async Task Rejection_ListsEveryProblemAtOnce_InSourceOrder()
    {
        var result = Check("!ls\nf = @unix;\ncellfun('dos', {1});\nsave('/tmp/x.mat')", o => o.ConfinedFunctions = ["save"]);

        await Assert.That(result.Violations.Select(v => (v.Policy, v.Line, v.Column))).IsEquivalentTo([("shell-escape", 1, 1), ("blocked-function", 2, 6), ("blocked-function", 3, 9), ("path-confinement", 4, 6)], CollectionOrdering.Matching);
    }

    [Test]
    public async Task CodeInsideString_IsReportedAtTheString_SayingWhose()
    {
        var result = Check("t = timer('StartDelay', 1, ...\n  'TimerFcn', 'x = 1; system(''ls'')');");

        var v = await Assert.That(result.Violations).HasSingleItem();
        await Assert.That((v.Subject, v.Line, v.Column)).IsEqualTo(("system", 2, 15));
        await Assert.That(v.Message).Contains("in the TimerFcn callback");
    }

    [Test]
    public async Task FevalWithVariable_SaysToCallDirectly()
    {
        var v = await Assert.That(Check("f = @sin;\ny = feval(f, 1);").Violations).HasSingleItem();

        await Assert.That((v.Policy, v.Subject, v.Line, v.Column)).IsEqualTo(("dynamic-code", "feval", 2, 11));
        await Assert.That(v.Message).Contains("call the function directly");
    }

    [Test]
    public async Task BlockedNameAssigned_SuggestsAnotherVariableName() =>
        await Assert.That((await Assert.That(Check("for run = 1:3, end").Violations).HasSingleItem()).Message).Contains("choose another name");

    [Test]
    public async Task CommandReadTwoWays_IsReportedOnce() =>
        await Assert.That(Check("x -system(1)").Violations).HasSingleItem();

    [Test]
    public async Task CarriageReturnEndsComment_CallAfterItIsFound() =>
        await Assert.That((await Assert.That(Check("% note\rsystem('ls')").Violations).HasSingleItem()).Subject).IsEqualTo("system");

    [Test]
    public async Task OctaveOnlyKeyword_IsANameInMatlab_SoTheQuoteIsATranspose()
    {
        const string code = "x = do'; system('ls'); y = 'a';";

        await Assert.That(Check(code, dialect: MatlabDialect.Matlab).Violations).Contains(v => v.Subject == "system");
    }

    [Test]
    public async Task AllowedFunctions_UnblockAndAcceptRunTimeNames()
    {
        await Assert.That(Check("system('ls')", o => o.AllowedFunctions = ["system"]).IsAllowed).IsTrue();
        await Assert.That(Check("f = @sin; feval(f, 1)", o => o.AllowedFunctions = ["feval"]).IsAllowed).IsTrue();
        await Assert.That(Check("y = py.math.sqrt(4);", o => o.AllowedFunctions = ["py.*"]).IsAllowed).IsTrue();
        // Unblocking eval keeps checking the code it is given.
        await Assert.That((await Assert.That(Check("eval('system(1)')", o => o.AllowedFunctions = ["eval"]).Violations).HasSingleItem()).Subject).IsEqualTo("system");
    }

    [Test]
    public async Task BlockedFunctions_ReplaceTheDefaults()
    {
        await Assert.That(Check("my_tool(1)", o => o.BlockedFunctions = ["my_tool"]).IsAllowed).IsFalse();
        await Assert.That(Check("system('ls')", o => o.BlockedFunctions = ["my_tool"]).IsAllowed).IsTrue();
        await Assert.That(Check("!ls", o => o.BlockedFunctions = ["my_tool"]).IsAllowed).IsTrue();
    }

    [Test]
    public async Task ConfinedFunctions_AreConfigurable()
    {
        await Assert.That(Check("save('/tmp/x.mat')").IsAllowed).IsTrue();
        var v = await Assert.That(Check("save('/tmp/x.mat')", o => o.ConfinedFunctions = ["save"]).Violations).HasSingleItem();
        await Assert.That((v.Policy, v.Subject)).IsEqualTo(("path-confinement", "save"));
    }

    [Test]
    public async Task RunTimeConfinedFunctions_AreNotJudgedByTheirText()
    {
        // The engine's shadows confine these at run time, so '..' and absolute paths are no reason to refuse.
        await Assert.That(Check("cd\ncd ..\ncd('/srv/sessions/alice/default/sub')\ndelete('../x.mat')\nrmdir ../old").IsAllowed).IsTrue();
        // ... even when an operator lists them: the list adds static checks only for functions without a shadow.
        await Assert.That(Check("cd ..", o => o.ConfinedFunctions = ["cd", "save"]).IsAllowed).IsTrue();
        await Assert.That(Check("save('../x.mat')", o => o.ConfinedFunctions = ["cd", "save"]).IsAllowed).IsFalse();
    }

    [Test]
    public async Task VariableInFunctionSlot_NotAssignedAHandle_IsRefusedWithAdvice()
    {
        var v = await Assert.That(Check("y = arrayfun(f, 1:3);").Violations).HasSingleItem();

        await Assert.That((v.Policy, v.Subject, v.Line, v.Column)).IsEqualTo(("dynamic-code", "arrayfun", 1, 14));
        await Assert.That(v.Message).Contains("@sin");
        await Assert.That(v.Message).Contains("@(x) f(x)");
    }

    [Test]
    public async Task VariableInFunctionSlot_EveryAssignmentMustBeAHandle()
    {
        await Assert.That(Check("f = @sin;\ny = arrayfun(f, 1:3);").IsAllowed).IsTrue();
        await Assert.That(Check("f = @sin; f = name;\ny = arrayfun(f, 1:3);").IsAllowed).IsFalse();
        await Assert.That(Check("f = @sin;\ny = arrayfun(f, 1:3);\nf = name;\ny = arrayfun(f, 1:3);").IsAllowed).IsFalse();
        // A later handle does not make an earlier computed value safe, nor does an assignment in a skipped branch.
        await Assert.That(Check("f = name;\nif c, f = @sin; end\ny = arrayfun(f, 1:3);").IsAllowed).IsFalse();
        // An assignment before the last clean one is overwritten by it.
        await Assert.That(Check("f = name; disp(f);\nf = @sin;\ny = arrayfun(f, 1:3);").IsAllowed).IsTrue();
    }

    [Test]
    public async Task DispatcherHandle_IsRefusedLikeTheFunctionItself()
    {
        var v = await Assert.That(Check("cellfun(@feval, {'sin'}, {0})").Violations).HasSingleItem();

        await Assert.That((v.Policy, v.Subject)).IsEqualTo(("dynamic-code", "feval"));
        await Assert.That(v.Message).Contains("@feval");
        // Unblocked by the operator, it may take run-time names, as feval itself may.
        await Assert.That(Check("cellfun(@feval, {'sin'}, {0})", o => o.AllowedFunctions = ["feval"]).IsAllowed).IsTrue();
    }

    [Test]
    public async Task LiteralForms_OfBlockedFunctions_PassWhileOtherFormsAreRefused()
    {
        await Assert.That(Check("f = str2func('cos'); run('script.m'); run script.m\nassignin('base', 'z', 3)").IsAllowed).IsTrue();
        await Assert.That((await Assert.That(Check("f = @str2func;").Violations).HasSingleItem()).Subject).IsEqualTo("str2func");
        await Assert.That((await Assert.That(Check("run(['scr' 'ipt.m'])").Violations).HasSingleItem()).Subject).IsEqualTo("run");
        var assignin = await Assert.That(Check("assignin('base', name, 3)").Violations).HasSingleItem();
        await Assert.That(assignin.Subject).IsEqualTo("assignin");
        await Assert.That(assignin.Message).DoesNotContain("code built from text");
        await Assert.That(assignin.Message).Contains("literal");
    }

    [Test]
    public async Task Disabled_ChecksNothing()
    {
        var result = Check("system('ls')", o => o.Enabled = false);

        await Assert.That(result.IsAllowed).IsTrue();
    }

    [Test]
    public async Task CodeStringsNestedTooDeep_AreRefused()
    {
        var code = "disp(1)";
        for (var i = 0; i < 6; i++)
            code = $"evalin('base', '{code.Replace("'", "''", StringComparison.Ordinal)}')";

        var result = Check(code, o => o.AllowedFunctions = ["evalin"]);

        await Assert.That(result.Violations).Contains(v => v.Subject == "nested code");
    }

    [Test]
    public async Task ManyViolations_AreListedUpToALimit()
    {
        var result = Check(string.Join("\n", Enumerable.Repeat("system('ls')", 100)));

        await Assert.That(result.Violations.Count).IsEqualTo(100);
        await Assert.That(result.Describe()).Contains("and 70 more");
    }

    [Test]
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
