using System.Text;
using System.Text.Json;
using MatlabMcp.Tests.EndToEnd;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Code;

/// <summary>
/// run_tests through the real server and the official SDK client, against a real Octave: one result per test with its
/// line and message, Octave's own semantics (checked against test()'s counts), folders, the time limit, and refusals.
/// </summary>
public sealed class RunTestsTests
{
    private const string Square = "function y = sq (x)\n  y = x.^2;\nend\n";

    private const string SquareTests =
        "% tests of sq\n" +                                  // 1
        "%!shared a\n" +                                     // 2
        "%! a = 2;\n" +                                      // 3
        "%!test\n" +                                         // 4
        "%! assert (sq (a), 4)\n" +                          // 5
        "%!test\n" +                                         // 6
        "%! a = 10;\n" +                                     // 7  shared state carried to the next block
        "%!assert (a, 10)\n" +                               // 8
        "%!test\n" +                                         // 9
        "%! assert (sq (3) == 10, 'three squared is %d', sq (3))\n" + // 10 fails
        "%!error <undefined> no_such_function (1)\n" +       // 11 the pattern matches
        "%!error <wrong pattern> error ('boom')\n" +          // 12 it does not
        "%!error id=my:id error ('my:id', 'with an id')\n" + // 13
        "%!function z = plus_one (q)\n" +                    // 14
        "%!  z = q + 1;\n" +                                 // 15
        "%!endfunction\n" +                                  // 16
        "%!assert (plus_one (sq (2)), 5)\n" +                // 17
        "%!test disp ('printed by a test')\n";               // 18

    private static Task<CallToolResult> UploadAsync(ConfiguredServer server, string path, string text) =>
        server.CallAsync("upload_file", ("path", path), ("content_base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(text))));

    private static JsonElement Test(CallToolResult result, int line) =>
        result.StructuredContent!.Value.GetProperty("tests").EnumerateArray().Single(t => t.GetProperty("line").GetInt32() == line);

    private static int Count(CallToolResult result, string what) => result.StructuredContent!.Value.GetProperty(what).GetInt32();

    [Test]
    public async Task ATestThatDraws_ReturnsItsFigure_AndTheTextAlone_CarriesTheResults()
    {
        await using var server = await ConfiguredServer.StartAsync();
        await UploadAsync(server, "test_draw.m", "%!test\n%! plot (1:3);\n%!test\n%! assert (false)\n");
        var result = await server.CallAsync("run_tests", ("path", "test_draw.m"));
        var text = ConfiguredServer.Text(result);
        await Assert.That(result.Content.OfType<ImageContentBlock>().Count()).IsEqualTo(1).Because(text);
        await Assert.That(result.StructuredContent).IsNull()
            .Because("Claude Code would show the model only structuredContent, never the image beside it");
        await Assert.That(text).StartsWith("1 passed, 1 failed").And.Contains("FAIL test_draw.m:3");
    }

    [Test]
    public async Task EachTest_IsReportedAtItsLine_WithItsMessage_AsOctavesTestCountsThem()
    {
        await using var server = await ConfiguredServer.StartAsync();
        await UploadAsync(server, "sq.m", Square);
        await UploadAsync(server, "tests/test_sq.m", SquareTests);

        var result = await server.CallAsync("run_tests", ("path", "tests/test_sq.m"));
        var text = ConfiguredServer.Text(result);
        await Assert.That(result.IsError ?? false).IsFalse().Because(text);
        await Assert.That(Count(result, "passed")).IsEqualTo(7).Because(text);
        await Assert.That(Count(result, "failed")).IsEqualTo(2).Because(text);
        // A test's line is its block's first line (%!test, or the one-line %!assert).
        await Assert.That(Test(result, 4).GetProperty("passed").GetBoolean()).IsTrue();
        await Assert.That(Test(result, 8).GetProperty("passed").GetBoolean()).IsTrue().Because("a %!shared value set by one test reaches the next");
        var failing = Test(result, 9);
        await Assert.That(failing.GetProperty("passed").GetBoolean()).IsFalse();
        await Assert.That(failing.GetProperty("message").GetString()).IsEqualTo("three squared is 9");
        await Assert.That(failing.GetProperty("name").GetString()).IsEqualTo("assert (sq (3) == 10, 'three squared is %d', sq (3))");
        await Assert.That(failing.GetProperty("file").GetString()).IsEqualTo("tests/test_sq.m");
        await Assert.That(failing.GetProperty("duration_ms").GetDouble()).IsGreaterThan(0);
        await Assert.That(Test(result, 11).GetProperty("passed").GetBoolean()).IsTrue().Because("<undefined> matches the error");
        var mismatch = Test(result, 12);
        await Assert.That(mismatch.GetProperty("passed").GetBoolean()).IsFalse();
        await Assert.That(mismatch.GetProperty("message").GetString()).IsEqualTo("error failed: expected <wrong pattern>, but got <boom>");
        await Assert.That(Test(result, 13).GetProperty("passed").GetBoolean()).IsTrue();
        await Assert.That(Test(result, 17).GetProperty("passed").GetBoolean()).IsTrue().Because("a %!function block is defined for the tests");
        await Assert.That(text).StartsWith("7 passed, 2 failed");
        await Assert.That(text).Contains("FAIL tests/test_sq.m:9 assert (sq (3) == 10, 'three squared is %d', sq (3))\n  three squared is 9");
        await Assert.That(text).Contains("FAIL tests/test_sq.m:12 ");
        await Assert.That(result.StructuredContent!.Value.GetProperty("output").GetString()).IsEqualTo("printed by a test\n");

        // Octave's own test() agrees on what passes: same successes, same number of tests.
        var octave = await server.CallAsync("execute_code", ("code", "[n, nmax] = test ('tests/test_sq.m', 'quiet'); printf ('%d of %d\\n', n, nmax)"));
        await Assert.That(ConfiguredServer.Text(octave)).Contains("7 of 9");
        // The function the tests defined is gone again, and nothing leaked into the workspace.
        var after = await server.CallAsync("execute_code", ("code", "printf ('%d %d\\n', exist ('plus_one'), exist ('a', 'var'))"));
        await Assert.That(ConfiguredServer.Text(after)).Contains("0 0");
        // The other kinds: %!warning, %!fail, %!xtest (a known failure is skipped, not failed), %!testif.
        await UploadAsync(server, "tests/test_kinds.m",
            "%!warning <careful> warning ('be careful')\n" +           // 1
            "%!warning <other> warning ('be careful')\n" +             // 2
            "%!fail ('sq (1, 2)', 'called with too many inputs')\n" + // 3
            "%!xtest\n%! assert (false)\n" +                          // 4
            "%!testif HAVE_NO_SUCH_FEATURE\n%! assert (false)\n" +    // 6
            "%!testif ; 1 > 2\n%! assert (false)\n");                  // 8
        var kinds = await server.CallAsync("run_tests", ("path", "tests/test_kinds.m"));
        var kindsText = ConfiguredServer.Text(kinds);
        await Assert.That(Test(kinds, 1).GetProperty("passed").GetBoolean()).IsTrue().Because(kindsText);
        await Assert.That(Test(kinds, 2).GetProperty("message").GetString()).IsEqualTo("warning failed: expected <other>, but got <be careful>");
        await Assert.That(Test(kinds, 3).GetProperty("passed").GetBoolean()).IsTrue().Because(kindsText);
        foreach (var skipped in new[] { 4, 6, 8 })
            await Assert.That(Test(kinds, skipped).GetProperty("skipped").GetBoolean()).IsTrue().Because($"line {skipped}: {kindsText}");
        await Assert.That((Count(kinds, "passed"), Count(kinds, "failed"), Count(kinds, "skipped"))).IsEqualTo((2, 1, 3));
    }

    [Test]
    public async Task AFolder_RunsEachTestFile_WithItsFolderOnThePathWhileItRuns()
    {
        await using var server = await ConfiguredServer.StartAsync();
        await UploadAsync(server, "suite/unit/cube_it.m", "function y = cube_it (x)\n  y = x^3;\nend\n");
        await UploadAsync(server, "suite/unit/test_cube.m", "% cube\n\n%!assert (cube_it (2), 8)\n%!assert (cube_it (3), 27)\n");
        await UploadAsync(server, "suite/test_other.m", "%!test\n%! x = 1;\n%! assert (x, 2)\n");
        await UploadAsync(server, "suite/demo_only.m", "function demo_only\nend\n%!demo\n%! demo_only\n");

        var result = await server.CallAsync("run_tests", ("path", "suite"));
        var text = ConfiguredServer.Text(result);
        var files = result.StructuredContent!.Value.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();
        await Assert.That(files).IsEquivalentTo(new[] { "suite/test_other.m", "suite/unit/test_cube.m" }, CollectionOrdering.Matching).Because(text);
        await Assert.That(Count(result, "passed")).IsEqualTo(2).Because("cube_it is found beside its test: " + text);
        await Assert.That(Count(result, "failed")).IsEqualTo(1);
        var tests = result.StructuredContent!.Value.GetProperty("tests").EnumerateArray().ToList();
        await Assert.That(tests.Select(t => $"{t.GetProperty("file").GetString()}:{t.GetProperty("line").GetInt32()}"))
            .IsEquivalentTo(new[] { "suite/test_other.m:1", "suite/unit/test_cube.m:3", "suite/unit/test_cube.m:4" }, CollectionOrdering.Matching);
        await Assert.That(text).Contains("FAIL suite/test_other.m:1 x = 1;");

        var after = await server.CallAsync("execute_code", ("code", "disp (exist ('cube_it'))"));
        await Assert.That(ConfiguredServer.Text(after).Trim()).IsEqualTo("0").Because("the test file's folder left the path after the run");
    }

    [Test]
    public async Task AFolderWhoseTestsTogetherExceedTheCodeLimit_IsRefusedBeforeAnythingRuns()
    {
        await using var server = await ConfiguredServer.StartAsync(("execution__max_code_chars", "300"));
        var test = "%!assert (true)\n" + string.Concat(Enumerable.Repeat("% padding to make the file long\n", 6));
        await UploadAsync(server, "big/test_a.m", test);
        await UploadAsync(server, "big/test_b.m", test);
        var one = await server.CallAsync("run_tests", ("path", "big/test_a.m"));
        await Assert.That(Count(one, "passed")).IsEqualTo(1).Because(ConfiguredServer.Text(one));
        var both = await server.CallAsync("run_tests", ("path", "big"));
        await Assert.That(both.IsError).IsTrue();
        await Assert.That(ConfiguredServer.Text(both)).Contains("more than 300 characters together (execution.max_code_chars)");
    }

    [Test]
    public async Task ATestThatRunsForever_IsStoppedByTheTimeLimit_NamingIt_AndTheSessionSurvives()
    {
        await using var server = await ConfiguredServer.StartAsync();
        await server.CallAsync("execute_code", ("code", "kept = 11;"));
        await UploadAsync(server, "slow/beside_it.m", "function y = beside_it ()\n  y = 1;\nend\n");
        await UploadAsync(server, "slow/test_forever.m",
            "%!function r = defined_here ()\n%!  r = 2;\n%!endfunction\n%!assert (beside_it () + defined_here (), 3)\n" +
            "%!test\n%! while true\n%! end\n%!assert (false)\n");

        var result = await server.CallAsync("run_tests", ("path", "slow/test_forever.m"), ("timeout_seconds", 2));
        var text = ConfiguredServer.Text(result);
        await Assert.That(result.StructuredContent!.Value.GetProperty("status").GetString()).IsEqualTo("timed_out").Because(text);
        await Assert.That(text).Contains("stopped while running slow/test_forever.m:5");
        var after = await server.CallAsync("execute_code", ("code", "printf ('%d %d %d\\n', kept, exist ('beside_it'), exist ('defined_here'))"));
        await Assert.That(ConfiguredServer.Text(after).Trim()).IsEqualTo("11 0 0")
            .Because("the workspace is kept, and the interrupted run took its folder off the path and its functions away");
    }

    [Test]
    public async Task PathsAndCodeThePolicyRefuses_AreNotRun_AndSayWhy_AndTheAuditRecordsWhatWasChecked()
    {
        await using var server = await ConfiguredServer.StartAsync(("audit__admin_identities", "local"));
        await UploadAsync(server, "tests/test_ok.m", "%!assert (true)\n");
        foreach (var path in new[] { "../tests/test_ok.m", "tests/../../x.m", "/etc/passwd", "/etc", "tests/test\u0001ok.m", "" })
        {
            var refused = await server.CallAsync("run_tests", ("path", path));
            await Assert.That(refused.IsError).IsTrue().Because(path);
            await Assert.That(refused.StructuredContent).IsNull();
        }
        var absolute = await server.CallAsync("run_tests", ("path", "/etc/passwd"));
        await Assert.That(ConfiguredServer.Text(absolute)).Contains("no project folders are configured");

        await UploadAsync(server, "tests/test_shell.m",
            "%!assert (true)\n%!test\n%! fid = fopen ('ran.txt', 'w'); fclose (fid);\n%! system ('id');\n");
        var policy = await server.CallAsync("run_tests", ("path", "tests/test_shell.m"));
        var text = ConfiguredServer.Text(policy);
        await Assert.That(policy.IsError).IsTrue();
        await Assert.That(text).Contains("tests/test_shell.m:4, column 4").Because(text);
        await Assert.That(text).Contains("system");

        // A block comment opened in one block cannot hide the next from the policy; fail() code is code.
        await UploadAsync(server, "tests/test_hidden.m", "%!test\n%! %{\n%!test fid = fopen ('ran.txt', 'w'); fclose (fid); unix ('id');\n");
        await UploadAsync(server, "tests/test_fail.m", "%!fail (\"system ('id')\")\n");
        foreach (var file in new[] { "tests/test_hidden.m", "tests/test_fail.m" })
        {
            var hidden = await server.CallAsync("run_tests", ("path", file));
            await Assert.That(hidden.IsError).IsTrue().Because(file);
            await Assert.That(ConfiguredServer.Text(hidden)).Contains("code policy");
        }
        var folder = await server.CallAsync("run_tests", ("path", "tests"));
        await Assert.That(ConfiguredServer.Text(folder)).Contains("tests/test_shell.m:4").Because("one refused file stops the folder");
        var ran = await server.CallAsync("execute_code", ("code", "disp (exist ('ran.txt', 'file'))"));
        await Assert.That(ConfiguredServer.Text(ran).Trim()).IsEqualTo("0").Because("nothing of a refused run ran");

        // The audit holds the test code as the policy saw it, under the file's name: refused, and run.
        var audit = await server.CallAsync("query_audit", ("decision", "rejected_by_policy"), ("limit", 10));
        var excerpts = audit.StructuredContent!.Value.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("code_excerpt").GetString()!).ToList();
        await Assert.That(excerpts.Any(e => e.StartsWith("% run_tests: tests/test_shell.m", StringComparison.Ordinal) && e.Contains("system ('id')"))).IsTrue()
            .Because(string.Join(" | ", excerpts));
        await server.CallAsync("run_tests", ("path", "tests/test_ok.m"));
        var executed = await server.CallAsync("query_audit", ("decision", "executed"), ("limit", 1));
        await Assert.That(executed.StructuredContent!.Value.GetProperty("entries")[0].GetProperty("code_excerpt").GetString())
            .StartsWith("% run_tests: tests/test_ok.m\nassert (true)");

        await UploadAsync(server, "plain.m", "x = 1;\n");
        var none = await server.CallAsync("run_tests", ("path", "plain.m"));
        await Assert.That(ConfiguredServer.Text(none)).Contains("has no test blocks");
    }

    [Test]
    public async Task ATestFileInAProjectFolder_FindsTheFunctionBesideIt_AndLinksOutOrTooManyFilesAreRefused()
    {
        var root = Directory.CreateTempSubdirectory("mcp-run-tests-").FullName;
        // Engines run as their own uids: a project folder must be readable by them (a temp folder is the owner's alone).
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
            UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            var project = Directory.CreateDirectory(Path.Combine(root, "project")).FullName;
            var lib = Directory.CreateDirectory(Path.Combine(project, "lib")).FullName;
            await File.WriteAllTextAsync(Path.Combine(lib, "model_gain.m"), "function y = model_gain (x)\n  y = 3 * x;\nend\n");
            await File.WriteAllTextAsync(Path.Combine(lib, "test_model_gain.m"), "%!assert (model_gain (2), 6)\n%!assert (model_gain (0), 1)\n");
            var outside = Directory.CreateDirectory(Path.Combine(root, "outside")).FullName;
            await File.WriteAllTextAsync(Path.Combine(outside, "test_secret.m"), "%!assert (true)\n");
            File.CreateSymbolicLink(Path.Combine(lib, "test_link.m"), Path.Combine(outside, "test_secret.m"));
            var many = Directory.CreateDirectory(Path.Combine(project, "many")).FullName;
            for (var k = 0; k <= 50; k++)
                await File.WriteAllTextAsync(Path.Combine(many, $"test_{k:00}.m"), "%!assert (true)\n");

            await using var server = await ConfiguredServer.StartAsync(("execution__project_folders", project));
            var result = await server.CallAsync("run_tests", ("path", Path.Combine(lib, "test_model_gain.m")));
            var text = ConfiguredServer.Text(result);
            await Assert.That(result.IsError ?? false).IsFalse().Because(text);
            await Assert.That(Count(result, "passed")).IsEqualTo(1).Because(text);
            await Assert.That(Test(result, 2).GetProperty("message").GetString()).Contains("ASSERT errors");

            var link = await server.CallAsync("run_tests", ("path", Path.Combine(lib, "test_link.m")));
            await Assert.That(link.IsError).IsTrue();
            await Assert.That(ConfiguredServer.Text(link)).Contains("not inside a project folder");
            var folder = await server.CallAsync("run_tests", ("path", lib));
            var files = folder.StructuredContent!.Value.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();
            await Assert.That(files).IsEquivalentTo(new[] { Path.Combine(lib, "test_model_gain.m") }).Because("a link in a folder is not followed");

            var tooMany = await server.CallAsync("run_tests", ("path", many));
            await Assert.That(tooMany.IsError).IsTrue();
            await Assert.That(ConfiguredServer.Text(tooMany)).Contains("more than 50 test files");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
