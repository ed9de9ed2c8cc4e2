using ModelContextProtocol.Protocol;
using static MatlabMcp.Tests.Code.FileRunServerFixture;

namespace MatlabMcp.Tests.Code;

/// <summary>
/// Issue 14: what run_file, list_sections and run_section refuse, through the real server: paths that leave, links that point
/// out, control characters, oversized args, args that look like code (they stay data), files the policy refuses, a script given
/// args, a shadowed function, unknown sections.
/// </summary>
[ClassDataSource<FileRunServerFixture>(Shared = SharedType.Keyed, Key = FileRunServerFixture.Key)]
[NotInParallel(FileRunServerFixture.Key)] // one server and one session for both classes: their tests take turns
public sealed class FileRunRefusalTests(FileRunServerFixture fixture)
{
    [Test]
    [Arguments("../x.m")]
    [Arguments("sub/../../x.m")]
    [Arguments("/etc/passwd")]
    [Arguments("analysis\n.m")]
    [Arguments("ana\u0001lysis.m")]
    public async Task RunFile_PathsThatLeaveOrCarryControlCharacters_AreRefused(string path)
    {
        foreach (var tool in new[] { "run_file", "list_sections" })
        {
            var result = await fixture.CallAsync(tool, ("path", path));
            await Assert.That(result.IsError).IsTrue();
            await Assert.That(Text(result)).DoesNotContain("root:").Because("nothing of the file is read back");
        }
        var section = await fixture.CallAsync("run_section", ("path", path), ("section", 1));
        await Assert.That(section.IsError).IsTrue();
    }

    [Test]
    public async Task RunFile_AbsoluteOutsideTheProjectFolders_IsRefused_NamingWhatIsAccepted()
    {
        var result = await fixture.CallAsync("run_file", ("path", Path.Combine(fixture.Outside, "secret.m")));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("project folder").And.Contains(fixture.Project);
        var workspace = await fixture.CallAsync("execute_code", ("code", "disp(exist('secret_token'))"));
        await Assert.That(Text(workspace).Trim()).IsEqualTo("0");
    }

    [Test]
    public async Task RunFile_ALinkInTheSessionFolderPointingOut_IsRefused()
    {
        var session = await fixture.SessionFolderAsync();
        File.CreateSymbolicLink(Path.Combine(session, "link.m"), Path.Combine(fixture.Outside, "secret.m"));
        Directory.CreateSymbolicLink(Path.Combine(session, "linked"), fixture.Outside);

        foreach (var path in new[] { "link.m", "linked/secret.m" })
        {
            var run = await fixture.CallAsync("run_file", ("path", path));
            await Assert.That(run.IsError).IsTrue().Because(Text(run));
            var list = await fixture.CallAsync("list_sections", ("path", path));
            await Assert.That(list.IsError).IsTrue();
            await Assert.That(Text(list)).DoesNotContain("hunter2");
        }
        var workspace = await fixture.CallAsync("execute_code", ("code", "disp(exist('secret_token'))"));
        await Assert.That(Text(workspace).Trim()).IsEqualTo("0");
    }

    [Test]
    public async Task RunSection_ATitleWithControlCharacters_IsRefused()
    {
        var result = await fixture.CallAsync("run_section", ("path", fixture.ProjectFile("analysis.m")), ("section", "Load\u001b[2Jdata"));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("control character").And.DoesNotContain("\u001b");
    }

    [Test]
    public async Task RunFile_ArgsPastTheCodeLimit_AreRefusedWithTheKey()
    {
        var huge = Enumerable.Repeat(123456.789, FileRunServerFixture.MaxCodeChars / 5).ToArray();

        var result = await fixture.CallAsync("run_file", ("path", fixture.ProjectFile("takes_args.m")), ("args", new object[] { huge }));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("execution.max_code_chars");
    }

    [Test]
    public async Task RunFile_AnArgumentThatLooksLikeCode_ArrivesVerbatim_AndNothingRuns()
    {
        const string attack = "'); system('touch pwned'); fid = fopen('pwned2', 'w'); %";
        var session = await fixture.SessionFolderAsync();
        await fixture.UploadAsync("echo_back.m", "function [s, c] = echo_back(x)\n  s = x;\n  c = class(x);\nend\n");

        var result = await fixture.CallAsync("run_file", ("path", "echo_back.m"), ("args", new object[] { attack }));

        await Assert.That(result.IsError).IsNotEqualTo(true).Because(Text(result));
        var value = result.StructuredContent!.Value.GetProperty("value");
        await Assert.That(value[0].GetString()).IsEqualTo(attack);
        await Assert.That(value[1].GetString()).IsEqualTo("char");
        await Assert.That(File.Exists(Path.Combine(session, "pwned")) || File.Exists(Path.Combine(session, "pwned2"))).IsFalse();
    }

    [Test]
    public async Task RunFile_AFileThePolicyRefuses_IsRefusedWithLineAndColumn_AndNothingRuns()
    {
        await fixture.UploadAsync("sneaky.m", "policy_marker = 1;\nx = 2;\n  system('id')\n");

        var result = await fixture.CallAsync("run_file", ("path", "sneaky.m"));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(result.StructuredContent!.Value.GetProperty("status").GetString()).IsEqualTo("rejected");
        var violation = result.StructuredContent.Value.GetProperty("violations")[0];
        await Assert.That(violation.GetProperty("line").GetInt32()).IsEqualTo(3);
        await Assert.That(violation.GetProperty("column").GetInt32()).IsEqualTo(3);
        var workspace = await fixture.CallAsync("execute_code", ("code", "disp(exist('policy_marker'))"));
        await Assert.That(Text(workspace).Trim()).IsEqualTo("0");
    }

    [Test]
    public async Task RunFile_AFileThatIsNotUtf8_IsRefusedSayingSo()
    {
        var result = await fixture.CallAsync("upload_file", ("path", "latin1.m"), ("content_base64", Convert.ToBase64String([.. "t = 'caf"u8, 0xE9, .. "';\n"u8])));
        await Assert.That(result.IsError).IsNotEqualTo(true);

        var run = await fixture.CallAsync("run_file", ("path", "latin1.m"));

        await Assert.That(Text(run)).Contains("not valid UTF-8");
    }

    [Test]
    public async Task RunFile_AScriptWithArgs_IsRefused() =>
        await Assert.That(Text(await fixture.CallAsync("run_file", ("path", fixture.ProjectFile("analysis.m")), ("args", new object[] { 1 }))))
            .Contains("is a script, and scripts take no arguments");

    [Test]
    public async Task RunFile_AFunctionAnotherFileShadows_SaysSo_InsteadOfRunningTheOther()
    {
        await fixture.UploadAsync("shadow_me.m", "function y = shadow_me()\n  y = -1;\nend\n");

        var result = await fixture.CallAsync("run_file", ("path", fixture.ProjectFile("shadow_me.m")));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("mcp:run_file:shadowed").And.Contains("shadow_me.m in your session folder");
        await Assert.That(result.StructuredContent!.Value.TryGetProperty("value", out _)).IsFalse();
        await fixture.CallAsync("delete_file", ("path", "shadow_me.m"));
        var after = await fixture.CallAsync("run_file", ("path", fixture.ProjectFile("shadow_me.m")));
        await Assert.That(after.StructuredContent!.Value.GetProperty("value")[0].GetDouble()).IsEqualTo(1).Because(Text(after));
    }

    [Test]
    public async Task RunSection_APolicyFinding_IsAtTheFilesLine_AndTheCellDoesNotRun()
    {
        await fixture.UploadAsync("cells.m", "%% Fine\nfine_marker = 1;\n%% Bad\nbad_marker = 2;\n  system('id')\n");

        var result = await fixture.CallAsync("run_section", ("path", "cells.m"), ("section", "Bad"));

        await Assert.That(result.IsError).IsTrue();
        var violation = result.StructuredContent!.Value.GetProperty("violations")[0];
        await Assert.That((violation.GetProperty("line").GetInt32(), violation.GetProperty("column").GetInt32())).IsEqualTo((5, 3));
        var workspace = await fixture.CallAsync("execute_code", ("code", "disp(exist('bad_marker'))"));
        await Assert.That(Text(workspace).Trim()).IsEqualTo("0");
    }

    [Test]
    public async Task RunSection_UnknownSectionOrAFunctionFile_IsRefusedWithTheList()
    {
        var unknown = await fixture.CallAsync("run_section", ("path", fixture.ProjectFile("analysis.m")), ("section", "Export"));
        await Assert.That(unknown.IsError).IsTrue();
        await Assert.That(Text(unknown)).Contains("No section is titled 'Export'").And.Contains("3\tlines 8-9\tPlot");

        var function = await fixture.CallAsync("run_section", ("path", fixture.ProjectFile("fit_line.m")), ("section", 1));
        await Assert.That(Text(function)).Contains("only a script's sections").And.Contains("run_file");
    }

}
