using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Security;

/// <summary>
/// Paths are confined to the session folder at run time, by the engine's shadows of cd, delete, rmdir, mkdir, movefile,
/// copyfile, rename and unlink: '..' and absolute paths work while they stay inside, and anything that resolves outside
/// (symlinks included) fails with an mcp:confined error that says what to do. One real Octave per test.
/// </summary>
public sealed class PathConfinementTests : IAsyncDisposable
{
    private readonly EngineHarness _engine = new();

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    private async Task<string> RunOkAsync(string code)
    {
        var outcome = await _engine.RunAsync(code, timeoutSeconds: 60);
        await Assert.That(outcome.Status == JobState.Completed).IsTrue().Because($"{outcome.Status}: {outcome.Message} {outcome.Error?.Identifier} {outcome.Error?.Message}\n{outcome.Output}");
        return outcome.Output;
    }

    [Test]
    public async Task CdUp_AfterCdIntoASubfolder_ComesBack()
    {
        var root = await RunOkAsync("disp(pwd)");

        var after = await RunOkAsync("mkdir('sub'); cd sub\ncd ..\ndisp(pwd)\ncd('sub'); cd('..'); disp(pwd)");

        await Assert.That(after).IsEqualTo(root + root);
    }

    [Test]
    public async Task CdUp_AtTheSessionFolder_IsRefusedAndStaysThere()
    {
        var root = await RunOkAsync("disp(pwd)");

        var outcome = await _engine.RunAsync("cd ..");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Failed);
        await Assert.That(outcome.Error!.Identifier).IsEqualTo("mcp:confined");
        await Assert.That(outcome.Error.Message).Contains("outside the session folder");
        await Assert.That(outcome.Error.Message).Contains("pwd"); // says what to do
        await Assert.That(await RunOkAsync("disp(pwd)")).IsEqualTo(root);
    }

    [Test]
    public async Task Refusal_StackNamesTheShadowAndTheCode_NotTheEnginesPrivateHelpers()
    {
        var outcome = await _engine.RunAsync("x = 1;\ncd('..')");

        // Each frame costs the agent tokens: the refusal's own helpers (mcp_refuse, mcp_confine) say nothing useful.
        var frames = outcome.Error!.Stack!.Select(f => $"{f.Name}:{f.Line}").ToList();
        await Assert.That(frames).IsEquivalentTo(["cd:" + outcome.Error.Stack![0].Line, "submitted code:2"], CollectionOrdering.Matching);
    }

    [Test]
    public async Task GlobCharacterClass_SpellingDotDot_IsRefused()
    {
        // Octave's delete, copyfile and movefile expand glob patterns: '[.][.]' matches '..'.
        var outcome = await _engine.RunAsync("delete('[.][.]/x.txt')");

        await Assert.That(outcome.Error?.Identifier).IsEqualTo("mcp:confined");
    }

    [Test]
    public async Task BareCd_GoesToTheSessionFolder_NotHome()
    {
        var root = await RunOkAsync("disp(pwd)");

        var after = await RunOkAsync("mkdir('a'); mkdir('a/b'); cd a/b\ncd\ndisp(pwd)");

        await Assert.That(after).IsEqualTo(root);
    }

    [Test]
    public async Task Cd_ToTheVeryPathPwdPrinted_Works()
    {
        var root = (await RunOkAsync("mkdir('results'); disp(pwd)")).TrimEnd('\n');

        var after = await RunOkAsync($"cd {root}/results\ndisp(pwd)\ncd('{root}')\ndisp(pwd)");

        await Assert.That(after).IsEqualTo($"{root}/results\n{root}\n");
    }

    [Test]
    public async Task SymlinkInTheSessionFolder_PointingOutside_IsRefused()
    {
        var session = await _engine.SessionAsync();
        File.CreateSymbolicLink(Path.Combine(session.Folder, "outside"), "/usr");

        var ids = await RunOkAsync(Each("cd outside", "mkdir('outside/x')", "delete('outside/x.txt')", "cd('outside/..')"));

        await Assert.That(ids).IsEqualTo("mcp:confined,mcp:confined,mcp:confined,ok\n");
    }

    [Test]
    public async Task FileFunctions_ReachingOutside_AreRefused_InsideWork()
    {
        var ids = await RunOkAsync(
            "fclose(fopen('a.txt', 'w')); mkdir('d');\n" +
            Each("delete('../a.txt')", "unlink('../a.txt')", "rmdir('..')", "mkdir('../new')", "mkdir('..', 'new')",
                "movefile('a.txt', '../a.txt')", "copyfile('a.txt', '/tmp/a.txt')", "rename('a.txt', '../a.txt')",
                "copyfile('/etc/hostname', 'h.txt')", "delete('d/../../*.txt')") +
            "\n" +
            Each("copyfile('a.txt', 'd/b.txt')", "movefile('d/b.txt', 'd/../c.txt')", "rename('c.txt', 'd/e.txt')",
                "cd d", "delete('../a.txt')", "unlink('e.txt')", "cd ..", "rmdir('d')"));

        await Assert.That(ids).IsEqualTo(string.Join(',', Enumerable.Repeat("mcp:confined", 10)) + "\n" +
            string.Join(',', Enumerable.Repeat("ok", 8)) + "\n");
        var left = await RunOkAsync("disp(exist('a.txt', 'file')); disp(exist('c.txt', 'file')); disp(exist('d', 'dir'))");
        await Assert.That(left).IsEqualTo("0\n0\n0\n");
    }

    [Test]
    public async Task TheSessionFolderItself_CannotBeRemoved_WildcardsInsideWork()
    {
        var output = await RunOkAsync(
            "mkdir('w'); cd w\nfclose(fopen('a.txt', 'w')); fclose(fopen('b.txt', 'w'));\ndelete('*.txt'); disp(numel(dir('*.txt')))\ncd ..\n" +
            Each("rmdir('.', 's')", "rmdir(pwd)", "movefile('.', 'w/moved')", "rmdir('w')"));

        await Assert.That(output).IsEqualTo("0\nmcp:confined,mcp:confined,mcp:confined,ok\n");
        var outcome = await _engine.RunAsync("rmdir('.')");
        await Assert.That(outcome.Error?.Message).Contains("session folder itself");
    }

    [Test]
    public async Task RunOfASessionScript_Works_AndCannotLeaveTheFolder()
    {
        // A folder outside the session (a system one, visible read-only in the sandbox) reached through a symlink.
        var outsideScript = Directory.EnumerateFiles("/usr/share/octave", "*.m", SearchOption.AllDirectories).First();
        var session = await _engine.SessionAsync();
        File.CreateSymbolicLink(Path.Combine(session.Folder, "lib"), Path.GetDirectoryName(outsideScript)!);

        var output = await RunOkAsync(
            "mkdir('s'); fid = fopen('s/step.m', 'w'); fprintf(fid, 'step_value = 5;\\n'); fclose(fid);\n" +
            "here = pwd; run('s/step.m'); disp(step_value); disp(strcmp(pwd, here))\n" +
            Each($"run('lib/{Path.GetFileName(outsideScript)}')"));

        await Assert.That(output).IsEqualTo("5\n1\nmcp:confined\n");
    }

    [Test]
    public async Task PolicyOff_TheShadowsStillConfine()
    {
        await using var engine = new EngineHarness(c => c.CodePolicy.Enabled = false);

        var outcome = await engine.RunAsync("cd('..')");

        await Assert.That(outcome.Error?.Identifier).IsEqualTo("mcp:confined");
    }

    [Test]
    public async Task SessionRoots_CannotBeWidenedByCode()
    {
        await using var engine = new EngineHarness(c => c.CodePolicy.Enabled = false);

        var outcome = await engine.RunAsync("mcp_session_roots({'/'}); cd('/')");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Failed);
        await Assert.That(outcome.Error!.Identifier).StartsWith("mcp:");
        await Assert.That((await engine.RunAsync("disp(~strcmp(pwd, '/'))")).Output).IsEqualTo("1\n");
    }

    [Test]
    public async Task UnsandboxedSpare_TakenBySession_IsConfinedToTheSessionFolder()
    {
        // Unsandboxed, a spare's folder is renamed to the new session's and the engine is then told that folder: the
        // session keeps the warm start, and its paths are confined to its own folder (not the spare's old one).
        await using var engine = new EngineHarness(c =>
        {
            c.Sandbox.Enabled = false;
            c.Sandbox.AllowUnsandboxed = true;
            c.Pool.SpareEngines = 1;
        });
        engine.Pool.EnsureSpares();
        await Wait.UntilAsync(() => engine.Pool.SpareCount > 0, "a warm spare");
        var sparePid = await Assert.That(HostProcesses.EnginesUnder(engine.Factory.Root)).HasSingleItem();

        var outcome = await engine.RunAsync("disp(pwd)\ndisp(getenv('HOME'))\nmkdir('sub'); cd sub\ncd ..\ncd ..");

        var folder = Path.GetFullPath((await engine.SessionAsync()).Folder);
        await Assert.That(await engine.EnginePidAsync()).IsEqualTo(sparePid);
        await Assert.That(outcome.Error?.Identifier).IsEqualTo("mcp:confined");
        await Assert.That(outcome.Output).StartsWith($"{folder}\n{folder}\n");
    }

    /// <summary>Runs each statement in its own try and prints "ok" or the error identifier, comma-separated.</summary>
    private static string Each(params string[] statements) =>
        "mcp_ids = {};\n" +
        string.Concat(statements.Select(s => $"try\n  {s};\n  mcp_ids{{end+1}} = 'ok';\ncatch mcp_e\n  mcp_ids{{end+1}} = mcp_e.identifier;\nend\n")) +
        "disp(strjoin(mcp_ids, ','))";
}
