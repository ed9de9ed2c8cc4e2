using ModelContextProtocol.Protocol;
using static MatlabMcp.Tests.Code.FileRunServerFixture;

namespace MatlabMcp.Tests.Code;

/// <summary>
/// Issue 14: run_file, list_sections and run_section through the real server (real Octave, the official C# SDK client): scripts
/// in the workspace, functions with args, errors at the file's lines, project folders and project_path, cells by title and index.
/// </summary>
[ClassDataSource<FileRunServerFixture>(Shared = SharedType.Keyed, Key = FileRunServerFixture.Key)]
[NotInParallel(FileRunServerFixture.Key)] // one server and one session for both classes: their tests take turns
public sealed class FileRunToolTests(FileRunServerFixture fixture)
{
    [Test]
    public async Task RunFile_AFunctionNamedLikeTheEnginesOwnVariables_IsStillCalled()
    {
        await fixture.UploadAsync("shown.m", "function y = shown(x)\n  y = 5 * x;\nend\n");

        var result = await fixture.CallAsync("run_file", ("path", "shown.m"), ("args", new object[] { 2 }));

        await Assert.That(result.StructuredContent!.Value.GetProperty("value")[0].GetDouble()).IsEqualTo(10).Because(Text(result));
    }

    [Test]
    public async Task RunFile_Script_LeavesItsVariablesInTheWorkspace()
    {
        await fixture.UploadAsync("scripts/sibling_double.m", "function y = sibling_double(x)\n  y = 2 * x;\nend\n");
        await fixture.UploadAsync("scripts/setup_vars.m", "% comment first\nalpha = sibling_double(20);\nalpha = alpha + 2;\nlabel = mfilename();\n");

        var result = await fixture.CallAsync("run_file", ("path", "scripts/setup_vars.m"));

        await Assert.That(result.IsError).IsNotEqualTo(true).Because(Text(result));
        var after = await fixture.CallAsync("execute_code", ("code", "printf('%d %s', alpha, label)"));
        await Assert.That(Text(after)).IsEqualTo("42 setup_vars").Because("the function beside the script was found, and the script ran as itself");
    }

    [Test]
    public async Task RunFile_ProjectFunctionWithArgs_ReturnsItsOutputs()
    {
        var result = await fixture.CallAsync("run_file", ("path", fixture.ProjectFile("fit_line.m")), ("args", new object[] { new[] { 1, 2, 3 }, new[] { 3, 5, 7 } }));

        await Assert.That(result.IsError).IsNotEqualTo(true).Because(Text(result));
        await Assert.That(Text(result)).StartsWith("Returned: [");
        var value = result.StructuredContent!.Value.GetProperty("value");
        await Assert.That(value.GetArrayLength()).IsEqualTo(2);
        await Assert.That(Math.Abs(value[0].GetDouble() - 2)).IsLessThan(1e-9);
        await Assert.That(Math.Abs(value[1].GetDouble() - 1)).IsLessThan(1e-9);
    }

    [Test]
    public async Task RunFile_AProjectFunctionRewritten_RunsItsNewCode()
    {
        // Rewritten within the same second and at the same size: Octave would keep its parsed copy.
        var file = fixture.ProjectFile("versioned.m");
        await File.WriteAllTextAsync(file, "function y = versioned()\n  y = 1;\nend\n");
        var first = await fixture.CallAsync("run_file", ("path", file));
        await Assert.That(first.StructuredContent!.Value.GetProperty("value")[0].GetDouble()).IsEqualTo(1).Because(Text(first));

        await File.WriteAllTextAsync(file, "function y = versioned()\n  y = 2;\nend\n");
        var second = await fixture.CallAsync("run_file", ("path", file));

        await Assert.That(second.StructuredContent!.Value.GetProperty("value")[0].GetDouble()).IsEqualTo(2);
    }

    [Test]
    public async Task RunFileAndRunSection_AreAuditedWithTheFilesTextAndName()
    {
        await fixture.CallAsync("run_file", ("path", fixture.ProjectFile("fit_line.m")), ("args", new object[] { new[] { 1, 2 }, new[] { 1, 2 } }));
        await fixture.CallAsync("run_section", ("path", fixture.ProjectFile("analysis.m")), ("section", "Load data"));

        var audit = await fixture.CallAsync("query_audit", ("limit", 2));

        var excerpts = audit.StructuredContent!.Value.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("code_excerpt").GetString()!).ToList();
        await Assert.That(excerpts[0]).StartsWith($"% run_section {fixture.ProjectFile("analysis.m")} 1\n%% Load data\n");
        await Assert.That(excerpts[1]).StartsWith("function [slope, intercept] = fit_line(x, y)").Because("the file's text is the audited code");
        await Assert.That(excerpts[1]).EndsWith($"end\n% run_file {fixture.ProjectFile("fit_line.m")}");
    }

    [Test]
    public async Task RunFile_ErrorInAScript_ReportsTheFilesLine()
    {
        var result = await fixture.CallAsync("run_file", ("path", fixture.ProjectFile("broken_script.m")));

        await Assert.That(result.IsError).IsTrue();
        var frame = result.StructuredContent!.Value.GetProperty("error").GetProperty("stack")[0];
        await Assert.That(frame.GetProperty("name").GetString()).IsEqualTo(fixture.ProjectFile("broken_script.m"));
        await Assert.That(frame.GetProperty("line").GetInt32()).IsEqualTo(4);
        await Assert.That(result.StructuredContent.Value.GetProperty("error").GetProperty("stack").GetArrayLength()).IsEqualTo(1)
            .Because("no frame of the bridge, and no 'submitted code' line 1");
        var partial = await fixture.CallAsync("execute_code", ("code", "disp(b)"));
        await Assert.That(Text(partial).Trim()).IsEqualTo("2").Because("the lines before the error ran in the workspace");
    }

    [Test]
    public async Task ProjectPath_AddsAProjectFolder_ForExecuteCodeAndRunFile()
    {
        var before = await fixture.CallAsync("execute_code", ("code", "disp(exist('lib_triple'))"));
        await Assert.That(Text(before).Trim()).IsEqualTo("0");

        var called = await fixture.CallAsync("execute_code", ("code", "disp(lib_triple(5))"), ("project_path", Path.Combine(fixture.Project, "lib")));
        await Assert.That(Text(called).Trim()).IsEqualTo("15");

        await fixture.UploadAsync("use_lib.m", "function y = use_lib(x)\n  y = lib_triple(x) + 1;\nend\n");
        var run = await fixture.CallAsync("run_file", ("path", "use_lib.m"), ("args", new object[] { 2 }),
            ("project_path", Path.Combine(fixture.Project, "lib")));
        await Assert.That(run.StructuredContent!.Value.GetProperty("value")[0].GetDouble()).IsEqualTo(7);

        var outside = await fixture.CallAsync("execute_code", ("code", "1"), ("project_path", fixture.Outside));
        await Assert.That(outside.IsError).IsTrue();
        await Assert.That(Text(outside)).StartsWith("project_path:");
    }

    [Test]
    public async Task ListSections_ARealFile_IndexTitleAndLines()
    {
        var result = await fixture.CallAsync("list_sections", ("path", fixture.ProjectFile("analysis.m")));

        await Assert.That(result.IsError).IsNotEqualTo(true).Because(Text(result));
        var sections = result.StructuredContent!.Value.GetProperty("sections").EnumerateArray()
            .Select(s => (s.GetProperty("index").GetInt32(), s.GetProperty("title").GetString()!, s.GetProperty("start_line").GetInt32(),
                s.GetProperty("end_line").GetInt32())).ToList();
        await Assert.That(sections).IsEquivalentTo(new[] { (1, "Load data", 2, 4), (2, "Fit", 5, 7), (3, "Plot", 8, 9), (4, "Broken", 10, 11) },
            CollectionOrdering.Matching);
        await Assert.That(Text(result)).Contains("2\tlines 5-7\tFit");
    }

    [Test]
    public async Task RunSection_ByTitleThenByIndex_RunsInTheWorkspace()
    {
        var load = await fixture.CallAsync("run_section", ("path", fixture.ProjectFile("analysis.m")), ("section", "load"));
        await Assert.That(load.IsError).IsNotEqualTo(true).Because(Text(load));
        await Assert.That(Text(load)).StartsWith("[section 1 \"Load data\"");

        var fit = await fixture.CallAsync("run_section", ("path", fixture.ProjectFile("analysis.m")), ("section", 2));

        await Assert.That(fit.IsError).IsNotEqualTo(true).Because(Text(fit));
        await Assert.That(Text(fit)).Contains("slope 2.00").Because("the Fit cell read x and y from the Load cell, and found fit_line beside the file");
        var byString = await fixture.CallAsync("run_section", ("path", fixture.ProjectFile("analysis.m")), ("section", "2"));
        await Assert.That(Text(byString)).Contains("slope 2.00");
    }

    [Test]
    public async Task RunSection_AnError_IsReportedAtTheFilesLine()
    {
        await fixture.CallAsync("run_section", ("path", fixture.ProjectFile("analysis.m")), ("section", "Load data"));

        var result = await fixture.CallAsync("run_section", ("path", fixture.ProjectFile("analysis.m")), ("section", "Broken"));

        await Assert.That(result.IsError).IsTrue();
        var error = result.StructuredContent!.Value.GetProperty("error");
        await Assert.That(error.GetProperty("stack")[0].GetProperty("line").GetInt32()).IsEqualTo(11);
        await Assert.That(error.GetProperty("message").GetString()).Contains("line 11");
    }

    [Test]
    public async Task RunFile_AScriptThatPlots_ReturnsTheImage()
    {
        var result = await fixture.CallAsync("run_file", ("path", fixture.ProjectFile("plotter.m")));

        await Assert.That(result.IsError).IsNotEqualTo(true).Because(Text(result));
        var image = result.Content.OfType<ImageContentBlock>().Single();
        await Assert.That(image.MimeType).IsEqualTo("image/png");
        await Assert.That(Text(result)).Contains("Figure 1:");
    }
}
