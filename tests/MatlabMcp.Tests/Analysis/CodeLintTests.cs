using MatlabMcp.Analysis;
using MatlabMcp.Security;

namespace MatlabMcp.Tests.Analysis;

/// <summary>check_code's lint on its own: each finding where it is, and silence where the code is fine or unknowable.</summary>
public sealed class CodeLintTests
{
    private static List<(int Line, int Column, string Id)> Lint(string code) =>
        [.. CodeLint.Check(code, MatlabDialect.Octave).Issues.Select(i => (i.Line, i.Column, i.Id))];

    [Test]
    [Arguments("x = 1;\nif x > 0\n  for k = 1:3\n    disp(k)\n  end\n", 2, 1)]
    [Arguments("try\n  a = 1;\ncatch e\n", 1, 1)]
    [Arguments("switch v\n  case 1\n    w = 2;\n", 1, 1)]
    [Arguments("  while true % no end here\n  'end'\n", 1, 3)]
    [Arguments("function a()\n  disp(1)\nend\nfunction b()\n  disp(2)\n", 4, 1)] // one function ends, so every one must
    public async Task UnterminatedBlock_ReportedAtItsOpener(string code, int line, int column) =>
        await Assert.That(Lint(code)).IsEquivalentTo([(line, column, CodeLint.UnterminatedBlock)]);

    [Test]
    [Arguments("function a()\n  disp(1)\nfunction b()\n  disp(2)\n")] // no function has an end: legal
    [Arguments("if a, b = 1; end\nx = y(end);\n")]
    [Arguments("classdef C\n  properties\n    p = 1;\n  end\n  methods\n    function disp(o)\n      builtin('disp', o.p);\n    end\n  end\nend\n")]
    [Arguments("do\n  k++;\nuntil k > 3\n")]
    public async Task ClosedCode_NoBlockFindings(string code) =>
        await Assert.That(Lint(code).Where(i => i.Id == CodeLint.UnterminatedBlock)).IsEmpty();

    [Test]
    public async Task UnclosedBracket_ReportedAtItsOpener() =>
        await Assert.That(Lint("a = 1;\nb = {1, ...\n  2;\n")).IsEquivalentTo([(2, 5, CodeLint.UnclosedBracket)]);

    [Test]
    public async Task UnusedVariable_InAFunction_OnlyWhenNothingReadsIt()
    {
        var code = """
            function [out, other] = f(a)
              tmp = a * 2;
              used = a + 1;
              out = used;
              [other, spare] = deal(1, 2);
              s.field = 3;
              g = @() a;
              g();
            end
            """;

        await Assert.That(Lint(code)).IsEquivalentTo([(2, 3, CodeLint.UnusedVariable), (5, 11, CodeLint.UnusedVariable)]);
    }

    [Test]
    [Arguments("function f()\n  x = 1;\n  eval('disp(x)');\nend\n")]  // read by name, as text
    [Arguments("function f()\n  x = 1;\n  save('out.mat', 'x');\nend\n")]
    [Arguments("function f()\n  x = 1;\n  function g()\n    disp(x)\n  end\nend\n")] // nested: shares variables
    [Arguments("function r = f()\n  r = 1;\nend\n")]
    [Arguments("function T = f(w)\n  T = 0;\n  E = 2;\n  T += w * cos(E);\nend\n")] // T += ... lexes as a command: its words count
    public async Task UnusedVariable_NotJudgedWhereItCannotBeSeen(string code) =>
        await Assert.That(Lint(code).Where(i => i.Id == CodeLint.UnusedVariable)).IsEmpty();

    [Test]
    public async Task OverwrittenValue_InAScript_OnlyWhenNothingBetweenReadsIt()
    {
        const string code = "a = 1;\nb = 2;\na = 3;\nb = b + a;\nc = 4; disp(c)\nc = 5;\nresult = c;\n";

        await Assert.That(Lint(code)).IsEquivalentTo([(1, 1, CodeLint.OverwrittenValue)]);
    }

    [Test]
    [Arguments("x = 1;\nif y\n  x = 2;\nend\n")]
    [Arguments("x = 1;\nfor k = 1:2\n  disp(x)\nend\nx = 2;\n")]
    [Arguments("x = 1;\nclear x\nx = 2;\n")]
    [Arguments("x = 1;\nx(2) = 5;\n")]
    [Arguments("x = 1;\nx = x + 1;\n")]
    [Arguments("total = 0;\nresult = 3;\n")] // a script's last values are its results
    public async Task OverwrittenValue_NotReported_WhereTheValueMayBeRead(string code) =>
        await Assert.That(Lint(code)).IsEmpty();

    [Test]
    public async Task Shadowing_NamesOnlyTheFunctionsTheEngineCallsBuiltins()
    {
        var lint = CodeLint.Check("x = 1;\nfunction r = sum(v)\n  r = v;\nend\nfunction r = mine(v)\n  r = v;\nend\n", MatlabDialect.Octave);

        var issues = CodeLint.Shadowing(lint.Functions, ["sum", "disp"]).ToList();

        await Assert.That(issues.Select(i => (i.Line, i.Column, i.Id))).IsEquivalentTo([(2, 14, CodeLint.ShadowsBuiltin)]);
        await Assert.That(lint.Functions.Select(f => f.Name)).IsEquivalentTo(["sum", "mine"]);
    }

    [Test]
    [Arguments("classdef Shape\n  properties\n    a\n  end\nend\n", "Shape")]
    [Arguments("% a comment\nclassdef (Sealed) Unit < handle\nend\n", "Unit")]
    [Arguments("% help\n%\nfunction r = area(x)\n  r = x;\nend\nfunction helper()\nend\n", "area")]
    [Arguments("x = 1;\nfunction r = f()\n  r = 1;\nend\n", null)]
    public async Task OwnName_OfAClassOrFunctionFile_NullForAScript(string code, string? name) =>
        await Assert.That(CodeLint.Check(code, MatlabDialect.Octave).OwnName).IsEqualTo(name);
}
