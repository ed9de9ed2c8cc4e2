using MatlabMcp.Configuration;
using MatlabMcp.Endpoints;
using MatlabMcp.Security;

namespace MatlabMcp.Tests.Code;

/// <summary>
/// run_tests' reading of an Octave test file: the blocks as Octave's test() splits them (kind, first line, code), and the
/// text the code policy checks, which must hold every line of code the blocks run and nothing a block could hide.
/// </summary>
public sealed class TestFilesTests
{
    private const string File =
        "function y = sq (x)\n" +          // 1: the file's own function: runs when called, like any file
        "  y = x.^2;\n" +                   // 2
        "end\n" +                           // 3
        "%!shared a, b\n" +                 // 4
        "%! a = 2;\n" +                     // 5
        "%!test\n" +                        // 6
        "%! assert (sq (a), 4)\n" +         // 7
        "%!assert (sq (3), 9)\n" +          // 8
        "%!error <undefined> nosuch (1)\n" + // 9
        "%!error id=my:id error ('my:id', 'x')\n" + // 10
        "%!xtest <12345>\n" +               // 11
        "%! assert (false)\n" +             // 12
        "%!testif HAVE_FFTW ; ispc ()\n" +  // 13
        "%! assert (true)\n" +              // 14
        "%!function z = helper (q)\n" +     // 15
        "%!  z = q + 1;\n" +                // 16
        "%!endfunction\n" +                 // 17
        "%!demo\n" +                        // 18
        "%! plot (1:10)\n" +                // 19
        "%!# a comment\n" +                 // 20
        "  %!test not a block: %! must start the line\n"; // 21

    private static CodePolicy Policy() => new(new CodePolicyOptions(), MatlabDialect.Octave);

    [Test]
    public async Task Blocks_AreOctavesBlocks_WithTheirFirstLine()
    {
        var blocks = TestFiles.Parse(File);
        await Assert.That(blocks.Select(b => $"{b.Kind}@{b.Line}")).IsEquivalentTo(new[]
        {
            "shared@4", "test@6", "assert@8", "error@9", "error@10", "xtest@11", "testif@13", "function@15", "endfunction@17",
            "demo@18", "@20",
        }, CollectionOrdering.Matching);
        await Assert.That(blocks[0].Code).IsEqualTo(" a, b\n a = 2;");
        await Assert.That(blocks[1].Code).IsEqualTo("\n assert (sq (a), 4)").Because("a block's code is its lines without their %!");
        await Assert.That(blocks[1].Name).IsEqualTo("assert (sq (a), 4)").Because("a test is named by its first code line");
        await Assert.That(blocks[2].Name).IsEqualTo("assert (sq (3), 9)");
        await Assert.That(blocks[3].Name).IsEqualTo("error <undefined> nosuch (1)");
        await Assert.That(blocks[5].Name).IsEqualTo("xtest: assert (false)");
        await Assert.That(TestFiles.HasTests(blocks)).IsTrue();
        await Assert.That(TestFiles.HasTests(TestFiles.Parse("%!demo\n%! plot (1)\n%!function f\n"))).IsFalse()
            .Because("demos and functions alone are not tests");
    }

    [Test]
    public async Task PolicyView_HoldsTheCodeTheBlocksRun_LineForLine()
    {
        var view = TestFiles.PolicyView(File).Split('\n');
        await Assert.That(view.Length).IsEqualTo(File.Split('\n').Length).Because("a finding's line is the file's line");
        await Assert.That(view[0]).IsEqualTo("").Because("the file's own function is not what run_tests runs");
        await Assert.That(view[4]).IsEqualTo(" a = 2;");
        await Assert.That(view[6]).IsEqualTo(" assert (sq (a), 4)");
        await Assert.That(view[7]).StartsWith("assert (sq (3), 9)");
        await Assert.That(view[8]).StartsWith(" nosuch (1)").Because("the pattern is not code");
        await Assert.That(view[9]).StartsWith(" error ('my:id', 'x')").Because("nor is the id");
        await Assert.That(view[12]).StartsWith("ispc ()").Because("a testif's run-time condition is evaluated");
        await Assert.That(view[14]).StartsWith("function z = helper (q)");
        await Assert.That(view[18]).IsEqualTo("").Because("demo blocks do not run under run_tests");
        await Assert.That(view[20]).IsEqualTo("");
        await Assert.That(Policy().Check(TestFiles.PolicyView(File)).IsAllowed).IsTrue()
            .Because(string.Join("; ", Policy().Check(TestFiles.PolicyView(File)).Violations.Select(v => $"{v.Line}: {v.Message}")));
    }

    [Test]
    [Arguments("%!test system ('id')\n", 1)]
    [Arguments("%!test\n%! x = 1;\n%! unix ('id');\n", 3)]
    [Arguments("%!assert (system ('id'), 0)\n", 1)]
    [Arguments("%!error <x> system ('id')\n", 1)]
    [Arguments("%!shared a\n%! a = system ('id');\n", 2)]
    [Arguments("%!function f ()\n%! system ('id');\n%!endfunction\n", 2)]
    [Arguments("%!testif ; system ('id')\n%! assert (true)\n", 1)]
    [Arguments("%!fail (\"system ('id')\")\n", 1)]
    [Arguments("%!test\n%! %{\n%!test system ('id')\n", 3)] // a block comment opened in one block cannot hide the next
    [Arguments("%!test\n%! #{\n%!assert (system ('id'), 0)\n%! #}\n", 3)]
    public async Task PolicyView_ShowsTheCodeOfEveryKindOfBlock_AtItsLine(string file, int line)
    {
        var verdict = Policy().Check(TestFiles.PolicyView(file));
        await Assert.That(verdict.IsAllowed).IsFalse();
        await Assert.That(verdict.Violations[0].Line).IsEqualTo(line);
    }

    [Test]
    public async Task PolicyView_OfACrlfFile_KeepsItsLines()
    {
        var blocks = TestFiles.Parse("%!test\r\n%! x = 1;\r\n%!assert (true)\r\n");
        await Assert.That(blocks.Select(b => b.Line)).IsEquivalentTo(new[] { 1, 3 }, CollectionOrdering.Matching);
        await Assert.That(blocks[0].Code).DoesNotContain("\r");
    }
}
