using MatlabMcp.Endpoints;
using MatlabMcp.Security;
using MatlabMcp.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Analysis;

/// <summary>
/// check_code's path: a session file or a file inside execution.project_folders, through the core's one rule
/// (CodePaths); refused for '..', absolute paths outside the projects, links out of the session, control characters
/// and files over execution.max_code_chars. Real Octave, the server's own composition.
/// </summary>
public sealed class CheckCodePathTests : IAsyncDisposable
{
    private readonly string _outside = Directory.CreateTempSubdirectory("mcp-check-outside-").FullName;
    private readonly string _project;
    private readonly EngineHarness _engine;
    private readonly CheckTools _tools;

    public CheckCodePathTests()
    {
        _project = Directory.CreateDirectory(Path.Combine(_outside, "project")).FullName;
        // Engines may run as another user (sandbox.engine_user) and bind the project folder: it must be readable.
        File.SetUnixFileMode(_outside, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(_outside, "secret.m"), "token = 'hunter2'; y = (1;\n");
        File.WriteAllText(Path.Combine(_project, "helper.m"), "function r = helper(x)\n  tmp = 1;\n  r = x;\nend\n");
        _engine = new EngineHarness(c =>
        {
            c.Execution.ProjectFolders = [_project];
            c.Execution.MaxCodeChars = 500;
        });
        _tools = ActivatorUtilities.CreateInstance<CheckTools>(_engine.Services);
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_outside, recursive: true);
    }

    /// <summary>The caller's session folder on the host, made by running code in it.</summary>
    private async Task<string> SessionFolderAsync()
    {
        var ran = await _engine.RunAsync("session_ready = 1;");
        if (ran.IsError)
            throw new InvalidOperationException($"the engine did not start: {ran.Message}");
        return _engine.Sessions.FoldersOf(CallerIdentity.Local, null).Host;
    }

    private Task<CallToolResult> CheckAsync(string path) =>
        _tools.CheckAsync(CallerIdentity.Local, null, path, null, TimeSpan.Zero, CancellationToken.None);

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    [Test]
    public async Task SessionFile_CheckedByItsRelativePath()
    {
        var folder = await SessionFolderAsync();
        Directory.CreateDirectory(Path.Combine(folder, "src"));
        await File.WriteAllTextAsync(Path.Combine(folder, "src", "bad.m"), "a = 1;\nb = a +* 2;\n");

        var result = await CheckAsync("src/bad.m");

        await Assert.That(result.IsError).IsNotEqualTo(true);
        await Assert.That(Text(result)).IsEqualTo("1 problem in src/bad.m:\n2:8 error parser [parse-error]: syntax error");
        await Assert.That(result.StructuredContent!.Value.GetProperty("path").GetString()).IsEqualTo("src/bad.m");
    }

    [Test]
    public async Task ProjectFile_CheckedByItsAbsolutePath()
    {
        await SessionFolderAsync();
        var file = Path.Combine(_project, "helper.m");

        var result = await CheckAsync(file);

        await Assert.That(result.IsError).IsNotEqualTo(true);
        await Assert.That(Text(result)).Contains("2:3 warning lint [unused-variable]: 'tmp' is assigned but never used in function 'helper'");
    }

    [Test]
    [Arguments("../secret.m", "")]
    [Arguments("src/../../secret.m", "")]
    [Arguments("/etc/passwd", "project folder")]
    [Arguments("bad\u0001name.m", "control character")]
    [Arguments("bad\nname.m", "control character")]
    public async Task PathsOutOfBounds_Refused(string path, string says)
    {
        await SessionFolderAsync();

        var result = await CheckAsync(path);

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains(says);
        await Assert.That(Text(result)).DoesNotContain("hunter2");
    }

    [Test]
    public async Task AbsolutePathOutsideTheProjects_Refused_NamingTheProjectFolders()
    {
        await SessionFolderAsync();

        var result = await CheckAsync(Path.Combine(_outside, "secret.m"));

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("is not inside a project folder");
        await Assert.That(Text(result)).Contains(_project);
    }

    [Test]
    public async Task LinkInTheSessionFolderPointingOut_Refused()
    {
        var folder = await SessionFolderAsync();
        File.CreateSymbolicLink(Path.Combine(folder, "escape.m"), Path.Combine(_outside, "secret.m"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "outdir"), _outside);

        var file = await CheckAsync("escape.m");
        var throughFolder = await CheckAsync("outdir/secret.m");

        foreach (var result in new[] { file, throughFolder })
        {
            await Assert.That(result.IsError).IsTrue();
            await Assert.That(Text(result)).DoesNotContain("hunter2");
            await Assert.That(Text(result)).DoesNotContain("syntax error");
        }
    }

    [Test]
    public async Task FileOverMaxCodeChars_RefusedWithTheLimitAndItsKey()
    {
        var folder = await SessionFolderAsync();
        await File.WriteAllTextAsync(Path.Combine(folder, "long.m"), string.Concat(Enumerable.Repeat("x = 1;\n", 100)));

        var result = await CheckAsync("long.m");

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(Text(result)).Contains("the limit is 500 (execution.max_code_chars)");
    }

    [Test]
    public async Task BusySession_ServerChecksStillAnswer_AndTheNoticeSaysTheParserDidNotRun()
    {
        await SessionFolderAsync();
        var (job, _) = _engine.Jobs.Start(CallerIdentity.Local, null, "pause(60)", null);
        await MatlabMcp.Tests.Jobs.JobManagerTests.WaitUntilRunningAsync(job!);

        var result = await _tools.CheckAsync(CallerIdentity.Local, "x = 1;\n[s, o] = system('id');\n", null, null, TimeSpan.Zero,
            CancellationToken.None);
        _engine.Jobs.Cancel(CallerIdentity.Local, job!.Id);

        await Assert.That(result.IsError).IsNotEqualTo(true);
        await Assert.That(Text(result)).Contains("2:10 error policy [blocked-function]");
        var notice = result.StructuredContent!.Value.GetProperty("notice").GetString()!;
        await Assert.That(notice).Contains("The engine did not parse the code");
        await Assert.That(notice).Contains(job.Id);
    }
}
