using MatlabMcp.Configuration;
using MatlabMcp.Security;
using MatlabMcp.Tests.Support;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Tests.Code;

/// <summary>
/// Issue 14: the one rule for a path a tool runs code from. Relative: inside the caller's session folder, never out of it
/// by '..', an absolute name or a planted link. Absolute: inside execution.project_folders once links are resolved, and
/// never a file the server keeps from engines.
/// </summary>
public sealed class CodePathsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mcp-codepaths-").FullName;
    private readonly string _project;
    private readonly string _session;
    private readonly SessionFolders _folders;

    public CodePathsTests()
    {
        _project = Directory.CreateDirectory(Path.Combine(_root, "project")).FullName;
        _session = Directory.CreateDirectory(Path.Combine(_root, "session")).FullName;
        _folders = new SessionFolders(_session, "/engine/session");
        File.WriteAllText(Path.Combine(_project, "model.m"), "function y = model(x)\n  y = x;\nend\n");
        Directory.CreateDirectory(Path.Combine(_project, "tests"));
        File.WriteAllText(Path.Combine(_session, "analysis.m"), "x = 1;\n");
        File.WriteAllText(Path.Combine(_root, "secret.m"), "token = 'hunter2';\n");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private CodePaths Paths(params string[] hidden)
    {
        var config = new AppConfig();
        config.Execution.ProjectFolders = [_project];
        config.Sandbox.Enabled = false;
        config.Sandbox.AllowUnsandboxed = true;
        config.Sandbox.HiddenPaths = hidden;
        return new CodePaths(Options.Create(config.Execution), new EngineSandbox(config));
    }

    [Test]
    [Arguments("../secret.m")]
    [Arguments("sub/../../secret.m")]
    [Arguments("..")]
    [Arguments("a\\..\\secret.m")]
    [Arguments("analysis.m\n")]
    [Arguments("ana\u0000lysis.m")]
    [Arguments(".hidden.m")]
    public async Task RelativePathsThatLeaveOrHide_AreRefused(string path)
    {
        var problem = Paths().Resolve(path, _folders, out var resolved);
        await Assert.That(problem).IsNotNull();
        await Assert.That(resolved).IsNull();
    }

    [Test]
    public async Task AbsolutePathsOutsideTheProjectFolders_AreRefused_AndSayWhatIsAccepted()
    {
        var paths = Paths();
        foreach (var path in new[] { Path.Combine(_root, "secret.m"), "/etc/passwd", _project + "/../secret.m", _project + "x/model.m", "/" })
        {
            var problem = paths.Resolve(path, _folders, out var resolved);
            await Assert.That(problem).IsNotNull().Because(path);
            await Assert.That(problem!).Contains("project folder");
            await Assert.That(resolved).IsNull();
        }
        var none = new CodePaths(Options.Create(new ExecutionOptions()), new EngineSandbox(new AppConfig { Sandbox = { Enabled = false, AllowUnsandboxed = true } }));
        await Assert.That(none.Resolve(Path.Combine(_project, "model.m"), _folders, out _)!).Contains("no project folders are configured");
    }

    [Test]
    public async Task LinksOut_AreRefused_FromTheSessionAndFromAProject()
    {
        File.CreateSymbolicLink(Path.Combine(_session, "escape.m"), Path.Combine(_root, "secret.m"));
        File.CreateSymbolicLink(Path.Combine(_project, "escape.m"), Path.Combine(_root, "secret.m"));
        Directory.CreateSymbolicLink(Path.Combine(_session, "outdir"), _root);
        var paths = Paths();
        await Assert.That(paths.Resolve("escape.m", _folders, out _)).IsNotNull();
        await Assert.That(paths.Resolve("outdir/secret.m", _folders, out _)).IsNotNull();
        await Assert.That(paths.Resolve(Path.Combine(_project, "escape.m"), _folders, out _)).IsNotNull();
    }

    [Test]
    public async Task HiddenPathsInsideAProject_AreRefused()
    {
        var token = Path.Combine(_project, "tokens.txt");
        File.WriteAllText(token, "secret");
        var problem = Paths(token).Resolve(token, _folders, out _);
        await Assert.That(problem!).Contains("keeps from engines");
    }

    [Test]
    public async Task AcceptedPaths_ResolveToTheEnginesViewAndReadBack()
    {
        var paths = Paths();
        await Assert.That(paths.Resolve("analysis.m", _folders, out var session)).IsNull();
        await Assert.That(session!.EnginePath).IsEqualTo("/engine/session/analysis.m");
        await Assert.That(session.SessionRelative).IsEqualTo("analysis.m");
        await Assert.That(await CodePaths.ReadTextAsync(session, _folders, 1000, CancellationToken.None)).IsEqualTo("x = 1;\n");

        await Assert.That(paths.Resolve(Path.Combine(_project, "model.m"), _folders, out var project)).IsNull();
        await Assert.That(project!.InProject).IsTrue();
        await Assert.That(project.EnginePath).IsEqualTo(Path.Combine(CodePaths.RealPath(_project)!, "model.m"));
        await Assert.That(await CodePaths.ReadTextAsync(project, _folders, 1000, CancellationToken.None)).StartsWith("function y = model");
        await Assert.ThrowsAsync<CodePathException>(() => CodePaths.ReadTextAsync(project, _folders, 10, CancellationToken.None));

        // Files and folders are told apart, both ways.
        await Assert.That(paths.Resolve(Path.Combine(_project, "tests"), _folders, out _)!).Contains("is a folder");
        await Assert.That(paths.Resolve(Path.Combine(_project, "tests"), _folders, out var folder, folder: true)).IsNull();
        await Assert.That(folder!.EnginePath).EndsWith("/project/tests");
        await Assert.That(paths.Resolve("analysis.m", _folders, out _, folder: true)!).Contains("is a file");
        await Assert.That(paths.Resolve("missing.m", _folders, out _)!).Contains("does not exist");
    }

    [Test]
    public async Task ProjectFolders_AreValidatedAtStart()
    {
        var options = new ExecutionOptions { ProjectFolders = ["relative/path", "/no/such/folder/anywhere", "/"] };
        var problems = options.Validate().ToList();
        await Assert.That(problems).Contains(p => p.Contains("'relative/path' must be an absolute path"));
        await Assert.That(problems).Contains(p => p.Contains("'/no/such/folder/anywhere' is not a folder"));
        await Assert.That(problems).Contains(p => p.Contains("the whole machine"));
    }
}

/// <summary>Issue 14: a project folder is readable by sandboxed engines, read-only, at the same path.</summary>
public sealed class ProjectFolderSandboxTests
{
    [Test]
    public async Task AProjectFolder_IsReadableButNotWritable_InsideTheSandbox()
    {
        var project = Directory.CreateTempSubdirectory("mcp-project-").FullName;
        try
        {
            File.SetUnixFileMode(project, (UnixFileMode)0b111_111_111);
            await File.WriteAllTextAsync(Path.Combine(project, "project_answer.m"), "function y = project_answer()\n  y = 42;\nend\n");
            File.SetUnixFileMode(Path.Combine(project, "project_answer.m"), (UnixFileMode)0b110_110_110);
            await using var engines = new EngineHarness(c => c.Execution.ProjectFolders = [project]);
            await Assert.That(engines.Sandbox.IsActive).IsTrue().Because(engines.Sandbox.Status);
            var real = CodePaths.RealPath(project)!;
            var read = await engines.RunAsync($"addpath('{real}'); disp(project_answer())");
            await Assert.That(read.Output.Trim()).IsEqualTo("42").Because(read.Error?.Message ?? "");
            var write = await engines.RunAsync($"fid = fopen('{real}/planted.m', 'w'); disp(fid)");
            await Assert.That(write.Output.Trim()).IsEqualTo("-1").Because("the project is mounted read-only, whatever its permissions");
            await Assert.That(File.Exists(Path.Combine(project, "planted.m"))).IsFalse();
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }
}
