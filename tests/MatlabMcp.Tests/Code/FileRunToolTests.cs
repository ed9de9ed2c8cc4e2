using System.Text;
using System.Text.Json;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Code;

/// <summary>
/// One real stdio server (real Octave, the official C# SDK client) with a project folder (execution.project_folders), a work
/// root the tests can look into (to plant a link in a session folder), and execution.max_code_chars at 20,000.
/// </summary>
public sealed class FileRunServerFixture : IAsyncInitializer, IAsyncDisposable
{
    public const int MaxCodeChars = 20_000;
    private const UnixFileMode Open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public McpClient Client { get; private set; } = null!;
    public string Project { get; } = Directory.CreateTempSubdirectory("mcp-runfile-project-").FullName;
    public string WorkRoot { get; } = Directory.CreateTempSubdirectory("mcp-runfile-work-").FullName;
    public string Outside { get; } = Directory.CreateTempSubdirectory("mcp-runfile-outside-").FullName;

    public async Task InitializeAsync()
    {
        // Engines run as other users: the project must be readable by them, as a real project folder is.
        File.SetUnixFileMode(Project, Open);
        File.SetUnixFileMode(WorkRoot, Open);
        Write("analysis.m", """
            % ANALYSIS  Fit a line to data and plot it.
            %% Load data
            x = (1:5)';
            y = 2 * x + 1;
            %% Fit
            [slope, intercept] = fit_line(x, y);
            printf('slope %.2f\n', slope);
            %% Plot
            plot(x, y, 'o');
            %% Broken
            z = x + undefined_offset;
            """);
        Write("fit_line.m", """
            function [slope, intercept] = fit_line(x, y)
            % FIT_LINE  Least-squares line through (x, y).
              p = [x(:), ones(numel(x), 1)] \ y(:);
              slope = p(1);
              intercept = p(2);
            end
            """);
        Write("broken_script.m", "a = 1;\nb = 2;\n\nc = a + not_defined_here;\n");
        Write("plotter.m", "figure_made = true;\nplot(1:10, (1:10).^2);\n");
        Write("takes_args.m", "function n = takes_args(x)\n  n = x;\nend\n");
        Write("shadow_me.m", "function y = shadow_me()\n  y = 1;\nend\n");
        Write("lib/lib_triple.m", "function y = lib_triple(x)\n  y = 3 * x;\nend\n");
        File.WriteAllText(Path.Combine(Outside, "secret.m"), "secret_token = 'hunter2';\n");
        Client = await ServerProcess.ConnectStdioAsync(environment: new Dictionary<string, string?>
        {
            ["MATLAB_MCP_EXECUTION__PROJECT_FOLDERS"] = Project,
            ["MATLAB_MCP_EXECUTION__MAX_CODE_CHARS"] = $"{MaxCodeChars}",
            ["MATLAB_MCP_ENGINE__WORK_ROOT"] = WorkRoot,
        }, clientOptions: new McpClientOptions { ProtocolVersion = "2025-11-25", DiscoverProbeTimeout = ServerProcess.DiscoverProbe });
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(Project, relative);
        if (Path.GetDirectoryName(path) is { } folder && folder != Project)
        {
            Directory.CreateDirectory(folder);
            File.SetUnixFileMode(folder, Open);
        }
        File.WriteAllText(path, text + (text.EndsWith('\n') ? "" : "\n"));
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        foreach (var folder in new[] { Project, WorkRoot, Outside })
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
    }
}

/// <summary>
/// Issue 14: run_file, list_sections and run_section through the real server. Refusals first (paths that leave, links that
/// point out, control characters, oversized args, args that look like code, files the policy refuses), then what runs.
/// </summary>
[ClassDataSource<FileRunServerFixture>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(FileRunToolTests))] // one server and one session for the class: its tests take turns
public sealed class FileRunToolTests(FileRunServerFixture fixture)
{
    private McpClient Client => fixture.Client;

    private Task<CallToolResult> CallAsync(string tool, params (string Name, object? Value)[] args) =>
        Client.CallToolAsync(tool, ServerProcess.Args(args)).AsTask();

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    private string ProjectFile(string name) => Path.Combine(fixture.Project, name);

    private async Task UploadAsync(string path, string text)
    {
        var result = await CallAsync("upload_file", ("path", path), ("content_base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(text))));
        await Assert.That(result.IsError).IsNotEqualTo(true).Because(Text(result));
    }

    /// <summary>The host folder of the caller's session "main" (found by a file uploaded into it).</summary>
    private async Task<string> SessionFolderAsync()
    {
        await UploadAsync("where_am_i.txt", "here");
        return Path.GetDirectoryName(Directory.EnumerateFiles(fixture.WorkRoot, "where_am_i.txt", SearchOption.AllDirectories).Single())!;
    }

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
            var result = await CallAsync(tool, ("path", path));
            await Assert.That(result.IsError).IsTrue();
            await Assert.That(Text(result)).DoesNotContain("root:").Because("nothing of the file is read back");
        }
        var section = await CallAsync("run_section", ("path", path), ("section", 1));
        await Assert.That(section.IsError).IsTrue();
    }

    [Test]
    public async Task RunFile_AbsoluteOutsideTheProjectFolders_IsRefused_NamingWhatIsAccepted()
    {
        var result = await CallAsync("run_file", ("path", Path.Combine(fixture.Outside, "secret.m")));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("project folder").And.Contains(fixture.Project);
        var workspace = await CallAsync("execute_code", ("code", "disp(exist('secret_token'))"));
        await Assert.That(Text(workspace).Trim()).IsEqualTo("0");
    }

    [Test]
    public async Task RunFile_ALinkInTheSessionFolderPointingOut_IsRefused()
    {
        var session = await SessionFolderAsync();
        File.CreateSymbolicLink(Path.Combine(session, "link.m"), Path.Combine(fixture.Outside, "secret.m"));
        Directory.CreateSymbolicLink(Path.Combine(session, "linked"), fixture.Outside);

        foreach (var path in new[] { "link.m", "linked/secret.m" })
        {
            var run = await CallAsync("run_file", ("path", path));
            await Assert.That(run.IsError).IsTrue().Because(Text(run));
            var list = await CallAsync("list_sections", ("path", path));
            await Assert.That(list.IsError).IsTrue();
            await Assert.That(Text(list)).DoesNotContain("hunter2");
        }
        var workspace = await CallAsync("execute_code", ("code", "disp(exist('secret_token'))"));
        await Assert.That(Text(workspace).Trim()).IsEqualTo("0");
    }

    [Test]
    public async Task RunSection_ATitleWithControlCharacters_IsRefused()
    {
        var result = await CallAsync("run_section", ("path", ProjectFile("analysis.m")), ("section", "Load\u001b[2Jdata"));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("control character").And.DoesNotContain("\u001b");
    }

    [Test]
    public async Task RunFile_ArgsPastTheCodeLimit_AreRefusedWithTheKey()
    {
        var huge = Enumerable.Repeat(123456.789, FileRunServerFixture.MaxCodeChars / 5).ToArray();

        var result = await CallAsync("run_file", ("path", ProjectFile("takes_args.m")), ("args", new object[] { huge }));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("execution.max_code_chars");
    }

    [Test]
    public async Task RunFile_AnArgumentThatLooksLikeCode_ArrivesVerbatim_AndNothingRuns()
    {
        const string attack = "'); system('touch pwned'); fid = fopen('pwned2', 'w'); %";
        var session = await SessionFolderAsync();
        await UploadAsync("echo_back.m", "function [s, c] = echo_back(x)\n  s = x;\n  c = class(x);\nend\n");

        var result = await CallAsync("run_file", ("path", "echo_back.m"), ("args", new object[] { attack }));

        await Assert.That(result.IsError).IsNotEqualTo(true).Because(Text(result));
        var value = result.StructuredContent!.Value.GetProperty("value");
        await Assert.That(value[0].GetString()).IsEqualTo(attack);
        await Assert.That(value[1].GetString()).IsEqualTo("char");
        await Assert.That(File.Exists(Path.Combine(session, "pwned")) || File.Exists(Path.Combine(session, "pwned2"))).IsFalse();
    }

    [Test]
    public async Task RunFile_AFileThePolicyRefuses_IsRefusedWithLineAndColumn_AndNothingRuns()
    {
        await UploadAsync("sneaky.m", "policy_marker = 1;\nx = 2;\n  system('id')\n");

        var result = await CallAsync("run_file", ("path", "sneaky.m"));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(result.StructuredContent!.Value.GetProperty("status").GetString()).IsEqualTo("rejected");
        var violation = result.StructuredContent.Value.GetProperty("violations")[0];
        await Assert.That(violation.GetProperty("line").GetInt32()).IsEqualTo(3);
        await Assert.That(violation.GetProperty("column").GetInt32()).IsEqualTo(3);
        var workspace = await CallAsync("execute_code", ("code", "disp(exist('policy_marker'))"));
        await Assert.That(Text(workspace).Trim()).IsEqualTo("0");
    }

    [Test]
    public async Task RunFile_AFunctionNamedLikeTheEnginesOwnVariables_IsStillCalled()
    {
        await UploadAsync("shown.m", "function y = shown(x)\n  y = 5 * x;\nend\n");

        var result = await CallAsync("run_file", ("path", "shown.m"), ("args", new object[] { 2 }));

        await Assert.That(result.StructuredContent!.Value.GetProperty("value")[0].GetDouble()).IsEqualTo(10).Because(Text(result));
    }

    [Test]
    public async Task RunFile_AFileThatIsNotUtf8_IsRefusedSayingSo()
    {
        var result = await CallAsync("upload_file", ("path", "latin1.m"), ("content_base64", Convert.ToBase64String([.. "t = 'caf"u8, 0xE9, .. "';\n"u8])));
        await Assert.That(result.IsError).IsNotEqualTo(true);

        var run = await CallAsync("run_file", ("path", "latin1.m"));

        await Assert.That(Text(run)).Contains("not valid UTF-8");
    }

    [Test]
    public async Task RunFile_AScriptWithArgs_IsRefused() =>
        await Assert.That(Text(await CallAsync("run_file", ("path", ProjectFile("analysis.m")), ("args", new object[] { 1 }))))
            .Contains("is a script, and scripts take no arguments");

    [Test]
    public async Task RunFile_Script_LeavesItsVariablesInTheWorkspace()
    {
        await UploadAsync("scripts/sibling_double.m", "function y = sibling_double(x)\n  y = 2 * x;\nend\n");
        await UploadAsync("scripts/setup_vars.m", "% comment first\nalpha = sibling_double(20);\nalpha = alpha + 2;\nlabel = mfilename();\n");

        var result = await CallAsync("run_file", ("path", "scripts/setup_vars.m"));

        await Assert.That(result.IsError).IsNotEqualTo(true).Because(Text(result));
        var after = await CallAsync("execute_code", ("code", "printf('%d %s', alpha, label)"));
        await Assert.That(Text(after)).IsEqualTo("42 setup_vars").Because("the function beside the script was found, and the script ran as itself");
    }

    [Test]
    public async Task RunFile_ProjectFunctionWithArgs_ReturnsItsOutputs()
    {
        var result = await CallAsync("run_file", ("path", ProjectFile("fit_line.m")), ("args", new object[] { new[] { 1, 2, 3 }, new[] { 3, 5, 7 } }));

        await Assert.That(result.IsError).IsNotEqualTo(true).Because(Text(result));
        await Assert.That(Text(result)).StartsWith("Returned: [");
        var value = result.StructuredContent!.Value.GetProperty("value");
        await Assert.That(value.GetArrayLength()).IsEqualTo(2);
        await Assert.That(Math.Abs(value[0].GetDouble() - 2)).IsLessThan(1e-9);
        await Assert.That(Math.Abs(value[1].GetDouble() - 1)).IsLessThan(1e-9);
    }

    [Test]
    public async Task RunFile_AFunctionAnotherFileShadows_SaysSo_InsteadOfRunningTheOther()
    {
        await UploadAsync("shadow_me.m", "function y = shadow_me()\n  y = -1;\nend\n");

        var result = await CallAsync("run_file", ("path", ProjectFile("shadow_me.m")));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("mcp:run_file:shadowed").And.Contains("shadow_me.m in your session folder");
        await Assert.That(result.StructuredContent!.Value.TryGetProperty("value", out _)).IsFalse();
        await CallAsync("delete_file", ("path", "shadow_me.m"));
        var after = await CallAsync("run_file", ("path", ProjectFile("shadow_me.m")));
        await Assert.That(after.StructuredContent!.Value.GetProperty("value")[0].GetDouble()).IsEqualTo(1).Because(Text(after));
    }

    [Test]
    public async Task RunFile_AProjectFunctionRewritten_RunsItsNewCode()
    {
        // Rewritten within the same second and at the same size: Octave would keep its parsed copy.
        var file = ProjectFile("versioned.m");
        await File.WriteAllTextAsync(file, "function y = versioned()\n  y = 1;\nend\n");
        var first = await CallAsync("run_file", ("path", file));
        await Assert.That(first.StructuredContent!.Value.GetProperty("value")[0].GetDouble()).IsEqualTo(1).Because(Text(first));

        await File.WriteAllTextAsync(file, "function y = versioned()\n  y = 2;\nend\n");
        var second = await CallAsync("run_file", ("path", file));

        await Assert.That(second.StructuredContent!.Value.GetProperty("value")[0].GetDouble()).IsEqualTo(2);
    }

    [Test]
    public async Task RunFile_ErrorInAScript_ReportsTheFilesLine()
    {
        var result = await CallAsync("run_file", ("path", ProjectFile("broken_script.m")));

        await Assert.That(result.IsError).IsTrue();
        var frame = result.StructuredContent!.Value.GetProperty("error").GetProperty("stack")[0];
        await Assert.That(frame.GetProperty("name").GetString()).IsEqualTo(ProjectFile("broken_script.m"));
        await Assert.That(frame.GetProperty("line").GetInt32()).IsEqualTo(4);
        await Assert.That(result.StructuredContent.Value.GetProperty("error").GetProperty("stack").GetArrayLength()).IsEqualTo(1)
            .Because("no frame of the bridge, and no 'submitted code' line 1");
        var partial = await CallAsync("execute_code", ("code", "disp(b)"));
        await Assert.That(Text(partial).Trim()).IsEqualTo("2").Because("the lines before the error ran in the workspace");
    }

    [Test]
    public async Task ProjectPath_AddsAProjectFolder_ForExecuteCodeAndRunFile()
    {
        var before = await CallAsync("execute_code", ("code", "disp(exist('lib_triple'))"));
        await Assert.That(Text(before).Trim()).IsEqualTo("0");

        var called = await CallAsync("execute_code", ("code", "disp(lib_triple(5))"), ("project_path", Path.Combine(fixture.Project, "lib")));
        await Assert.That(Text(called).Trim()).IsEqualTo("15");

        await UploadAsync("use_lib.m", "function y = use_lib(x)\n  y = lib_triple(x) + 1;\nend\n");
        var run = await CallAsync("run_file", ("path", "use_lib.m"), ("args", new object[] { 2 }),
            ("project_path", Path.Combine(fixture.Project, "lib")));
        await Assert.That(run.StructuredContent!.Value.GetProperty("value")[0].GetDouble()).IsEqualTo(7);

        var outside = await CallAsync("execute_code", ("code", "1"), ("project_path", fixture.Outside));
        await Assert.That(outside.IsError).IsTrue();
        await Assert.That(Text(outside)).StartsWith("project_path:");
    }

    [Test]
    public async Task ListSections_ARealFile_IndexTitleAndLines()
    {
        var result = await CallAsync("list_sections", ("path", ProjectFile("analysis.m")));

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
        var load = await CallAsync("run_section", ("path", ProjectFile("analysis.m")), ("section", "load"));
        await Assert.That(load.IsError).IsNotEqualTo(true).Because(Text(load));
        await Assert.That(Text(load)).StartsWith("[section 1 \"Load data\"");

        var fit = await CallAsync("run_section", ("path", ProjectFile("analysis.m")), ("section", 2));

        await Assert.That(fit.IsError).IsNotEqualTo(true).Because(Text(fit));
        await Assert.That(Text(fit)).Contains("slope 2.00").Because("the Fit cell read x and y from the Load cell, and found fit_line beside the file");
        var byString = await CallAsync("run_section", ("path", ProjectFile("analysis.m")), ("section", "2"));
        await Assert.That(Text(byString)).Contains("slope 2.00");
    }

    [Test]
    public async Task RunSection_AnError_IsReportedAtTheFilesLine()
    {
        await CallAsync("run_section", ("path", ProjectFile("analysis.m")), ("section", "Load data"));

        var result = await CallAsync("run_section", ("path", ProjectFile("analysis.m")), ("section", "Broken"));

        await Assert.That(result.IsError).IsTrue();
        var error = result.StructuredContent!.Value.GetProperty("error");
        await Assert.That(error.GetProperty("stack")[0].GetProperty("line").GetInt32()).IsEqualTo(11);
        await Assert.That(error.GetProperty("message").GetString()).Contains("line 11");
    }

    [Test]
    public async Task RunSection_APolicyFinding_IsAtTheFilesLine_AndTheCellDoesNotRun()
    {
        await UploadAsync("cells.m", "%% Fine\nfine_marker = 1;\n%% Bad\nbad_marker = 2;\n  system('id')\n");

        var result = await CallAsync("run_section", ("path", "cells.m"), ("section", "Bad"));

        await Assert.That(result.IsError).IsTrue();
        var violation = result.StructuredContent!.Value.GetProperty("violations")[0];
        await Assert.That((violation.GetProperty("line").GetInt32(), violation.GetProperty("column").GetInt32())).IsEqualTo((5, 3));
        var workspace = await CallAsync("execute_code", ("code", "disp(exist('bad_marker'))"));
        await Assert.That(Text(workspace).Trim()).IsEqualTo("0");
    }

    [Test]
    public async Task RunSection_UnknownSectionOrAFunctionFile_IsRefusedWithTheList()
    {
        var unknown = await CallAsync("run_section", ("path", ProjectFile("analysis.m")), ("section", "Export"));
        await Assert.That(unknown.IsError).IsTrue();
        await Assert.That(Text(unknown)).Contains("No section is titled 'Export'").And.Contains("3\tlines 8-9\tPlot");

        var function = await CallAsync("run_section", ("path", ProjectFile("fit_line.m")), ("section", 1));
        await Assert.That(Text(function)).Contains("only a script's sections").And.Contains("run_file");
    }

    [Test]
    public async Task RunFile_AScriptThatPlots_ReturnsTheImage()
    {
        var result = await CallAsync("run_file", ("path", ProjectFile("plotter.m")));

        await Assert.That(result.IsError).IsNotEqualTo(true).Because(Text(result));
        var image = result.Content.OfType<ImageContentBlock>().Single();
        await Assert.That(image.MimeType).IsEqualTo("image/png");
        await Assert.That(Text(result)).Contains("Figure 1:");
    }
}
