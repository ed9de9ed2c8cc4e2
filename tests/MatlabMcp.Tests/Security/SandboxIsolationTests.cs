using System.Diagnostics;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Security;

/// <summary>
/// The wall between sessions, tried from inside with the code policy off: a process budget per engine, the code's
/// children ending with its call, a minimal view of the host, and an allow-listed environment.
/// </summary>
[NotInParallel] // process budgets, uids and stray processes are counted host-wide: runs alone
public sealed class SandboxIsolationTests
{
    [Test, RootOnly("engines get a uid (and so a process budget) of their own only when the server can switch users")]
    public async Task ProcessBudget_OneEngineExhaustsIt_AnotherSessionStillStartsAndRuns()
    {
        const int limit = 40;
        await using var engine = new EngineHarness(c => { c.Sandbox.MaxProcesses = limit; c.CodePolicy.Enabled = false; });

        // Background sleeps until fork fails: bounded by the engine's own limit (sh gives up at the first failed fork).
        var bomb = await engine.RunAsync("system('for i in $(seq 200); do sleep 600 & done > /dev/null 2>&1'); disp(7)",
            timeoutSeconds: 60, session: "bomb");
        var bomber = await engine.EnginePidAsync("bomb");
        var other = await engine.RunAsync("disp(1 + 1)", session: "other");

        await Assert.That(bomb.Output).IsEqualTo("7\n");
        await Assert.That(HostProcesses.InNamespaceOf(bomber).Count).IsBetween(limit / 2, limit).Inclusive(); // filled its budget, and no more
        await Assert.That(other.Status).IsEqualTo(JobState.Completed);
        await Assert.That(other.Output).IsEqualTo("2\n");
        await Assert.That(HostProcesses.Uid(await engine.EnginePidAsync("other"))).IsNotEqualTo(HostProcesses.Uid(bomber));
    }

    [Test, RootOnly("engines get a uid of their own only when the server can switch users")]
    public async Task RestartedEngine_KeepsItsSessionsUid_AndItsFiles()
    {
        await using var engine = new EngineHarness(c => c.CodePolicy.Enabled = false);
        await engine.RunAsync("mkdir('sub'); fid = fopen('sub/log.txt', 'w'); fprintf(fid, 'one\\n'); fclose(fid);");
        var firstUid = HostProcesses.Uid(await engine.EnginePidAsync());
        using (var lease = await engine.Sessions.AcquireAsync(CallerIdentity.Local, null, CancellationToken.None))
            lease.Engine.Kill();

        var outcome = await engine.RunAsync("fid = fopen('sub/log.txt', 'a'); fprintf(fid, 'two\\n'); fclose(fid); disp(fileread('sub/log.txt'))");

        await Assert.That(outcome.Output).IsEqualTo("one\ntwo\n\n");
        await Assert.That(HostProcesses.Uid(await engine.EnginePidAsync())).IsEqualTo(firstUid);
        await Assert.That(firstUid).IsBetween(1, int.MaxValue).Inclusive();
    }

    [Test, RootOnly("engines get a uid of their own only when the server can switch users")]
    public async Task RestartedEngine_GivenAnotherUid_TakesOverItsFiles_AndNeverFollowsALink()
    {
        var victim = Path.Combine(Executables.Folder("mcp-victim-"), "victim.txt");
        File.WriteAllText(victim, "root's file");
        await using var harness = new EngineHarness();
        var factory = harness.Factory;
        var folder = factory.CreateSessionFolder("uid-test", "s");
        try
        {
            var first = await factory.StartAsync(folder, CancellationToken.None);
            var firstUid = HostProcesses.Uid(first.ProcessId);
            // Links the engine planted (so its uid owns them) to a host file and folder: a chown must not follow them.
            var planted = await first.SendAsync(BridgeRequest.Eval,
                "mkdir('sub'); fid = fopen('sub/log.txt', 'w'); fprintf(fid, 'one\\n'); fclose(fid); " +
                $"symlink('{victim}', 'link'); symlink('{Path.GetDirectoryName(victim)}', 'sub/dirlink');");
            await Assert.That(planted.Ok).IsTrue().Because(planted.Error?.Message ?? "");
            await Assert.That(new FileInfo(Path.Combine(folder, "sub", "dirlink")).LinkTarget).IsNotNull();
            await first.DisposeAsync();
            // Another server (or engine) holds the session's uid now: the next engine must get a different one.
            using var taken = new FileStream($"/run/matlab-mcp-engine-uids/{firstUid}", FileMode.Open, FileAccess.ReadWrite, FileShare.None);

            await using var second = await factory.StartAsync(folder, CancellationToken.None);
            var wrote = await second.SendAsync(BridgeRequest.Eval,
                "fid = fopen('sub/log.txt', 'a'); fprintf(fid, 'two\\n'); fclose(fid); mkdir('sub/more');");

            await Assert.That(wrote.Ok).IsTrue().Because(wrote.Error?.Message ?? "");
            await Assert.That(File.ReadAllText(Path.Combine(folder, "sub", "log.txt"))).IsEqualTo("one\ntwo\n");
            await Assert.That(HostProcesses.Uid(second.ProcessId)).IsNotEqualTo(firstUid);
            await Assert.That(Owner(victim)).IsEqualTo("0");
            await Assert.That(Owner(Path.GetDirectoryName(victim)!)).IsEqualTo("0");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(victim)!, recursive: true);
        }
    }

    [Test]
    public async Task TimeLimit_KillsTheCodesBackgroundProcesses_AndKeepsTheWorkspace()
    {
        await using var engine = new EngineHarness(c => c.CodePolicy.Enabled = false);
        var seconds = UniqueSeconds();

        var run = engine.RunAsync($"kept = 5; system('sleep {seconds} &'); while true, end", timeoutSeconds: 8);
        await Wait.UntilAsync(() => HostProcesses.WithCommandLine("sleep", seconds).Count == 1, "the background sleep to start");
        var outcome = await run;

        await Assert.That(outcome.Status).IsEqualTo(JobState.TimedOut);
        await Wait.UntilAsync(() => HostProcesses.WithCommandLine("sleep", seconds).Count == 0, "the background sleep to be killed", 10);
        await Assert.That((await engine.RunAsync("disp(kept)")).Output).IsEqualTo("5\n");
        await Assert.That(ProcessTree.Alive(await engine.EnginePidAsync())).IsTrue();
    }

    [Test]
    public async Task Cancel_KillsTheCodesBackgroundProcesses_AndKeepsTheWorkspace()
    {
        await using var engine = new EngineHarness(c => c.CodePolicy.Enabled = false);
        var seconds = UniqueSeconds();
        using var cancel = new CancellationTokenSource();

        var run = engine.RunAsync($"kept = 6; system('sleep {seconds} &'); pause(300)", cancellationToken: cancel.Token);
        await Wait.UntilAsync(() => HostProcesses.WithCommandLine("sleep", seconds).Count == 1, "the background sleep to start");
        await cancel.CancelAsync();
        var outcome = await run;

        await Assert.That(outcome.Status).IsEqualTo(JobState.Cancelled);
        await Wait.UntilAsync(() => HostProcesses.WithCommandLine("sleep", seconds).Count == 0, "the background sleep to be killed", 10);
        await Assert.That((await engine.RunAsync("disp(kept)")).Output).IsEqualTo("6\n");
    }

    [Test]
    public async Task SessionClose_KillsEveryProcessTheCodeStarted_EvenOneThatLeftItsSession()
    {
        await using var engine = new EngineHarness(c => c.CodePolicy.Enabled = false);
        var seconds = UniqueSeconds();

        await engine.RunAsync($"system('sleep {seconds} > /dev/null 2>&1 &'); system('setsid sleep {seconds} > /dev/null 2>&1 &');");
        await Wait.UntilAsync(() => HostProcesses.WithCommandLine("sleep", seconds).Count == 2, "the background sleeps to start");
        await engine.Sessions.CloseAsync(CallerIdentity.Local, "main");

        await Wait.UntilAsync(() => HostProcesses.WithCommandLine("sleep", seconds).Count == 0, "the background sleeps to be killed", 10);
    }

    [Test]
    public async Task Interrupt_KillingTheChildren_LeavesPlottingWorking()
    {
        // Octave's gnuplot toolkit keeps a gnuplot process per figure: the sweep kills it with the rest.
        await using var engine = new EngineHarness();
        await engine.RunAsync("f = figure('visible', 'off'); plot(1:3); print(f, 'a.png', '-dpng');");

        var stopped = await engine.RunAsync("pause(300)", timeoutSeconds: 2);
        var outcome = await engine.RunAsync(
            "plot(f, 3:-1:1); print(f, 'b.png', '-dpng'); g = figure('visible', 'off'); plot(1:4); print(g, 'c.png', '-dpng'); " +
            "b = dir('b.png'); c = dir('c.png'); printf('%d %d\\n', b.bytes > 1000, c.bytes > 1000)");

        await Assert.That(stopped.Status).IsEqualTo(JobState.TimedOut);
        await Assert.That(outcome.Status).IsEqualTo(JobState.Completed);
        await Assert.That(outcome.Output).EndsWith("1 1\n");
    }

    [Test]
    public async Task View_HostFoldersOutsideIt_AreAbsent()
    {
        var outside = Directory.CreateDirectory($"/var/tmp/mcp-view-{Guid.NewGuid():N}").FullName;
        File.SetUnixFileMode(outside, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(outside, "marker.txt"), "host-marker"); // world-readable: only the view can hide it
        try
        {
            await using var engine = new EngineHarness(c => c.CodePolicy.Enabled = false);

            var outcome = await engine.RunAsync(
                $"disp([exist('{outside}/marker.txt', 'file'), exist('{outside}', 'dir'), exist('/home', 'dir'), exist('/srv', 'dir'), " +
                "exist('/var/tmp', 'dir'), exist('/opt', 'dir'), exist('/root', 'dir'), exist('/etc/passwd', 'file'), exist('/etc/shadow', 'file')]); " +
                "disp([exist('/usr/bin/octave-cli', 'file'), exist('/bin/sh', 'file'), exist('/etc/fonts', 'dir')]); " +
                "[~, top] = system('ls -A /'); [~, var] = system('ls -A /var'); disp(strtrim(strrep(top, char(10), ' '))); " +
                "disp(strtrim(strrep(var, char(10), ' ')))");

            await Assert.That(outcome.Status).IsEqualTo(JobState.Completed);
            var lines = outcome.Output.Split('\n');
            await Assert.That(lines[..2]).IsEquivalentTo(["   0   0   0   0   0   0   0   0   0", "   2   2   7"], CollectionOrdering.Matching);
            // The root holds the system, the kernel file systems and the work root's top folder (for the session folder),
            // and /var only the font and ghostscript caches: no spool, mail, tmp or state of the host.
            var workTop = engine.Factory.Root.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
            string[] system = ["bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr", "etc", "var", "dev", "proc", "sys", "tmp", workTop];
            foreach (var name in lines[2].Split(' '))
                await Assert.That(system).Contains(name);
            foreach (var name in lines[3].Split(' '))
                await Assert.That(new[] { "cache", "lib" }).Contains(name);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Test]
    public async Task View_AnEngineInstalledOutsideUsr_SeesItsWholeInstallation_AndNothingBesideIt()
    {
        // A private Octave prefix (bin/, share/octave/) under /var/tmp, beside a folder that is not part of it.
        var root = Directory.CreateDirectory($"/var/tmp/mcp-install-{Guid.NewGuid():N}").FullName;
        var prefix = Path.Combine(root, "octave-9");
        Directory.CreateDirectory(Path.Combine(prefix, "bin"));
        Directory.CreateDirectory(Path.Combine(prefix, "share", "octave"));
        Directory.CreateDirectory(Path.Combine(root, "beside"));
        File.WriteAllText(Path.Combine(prefix, "share", "octave", "marker.txt"), "install-marker");
        File.WriteAllText(Path.Combine(root, "beside", "marker.txt"), "beside-marker");
        var executable = Path.Combine(prefix, "bin", "octave-cli");
        File.WriteAllText(executable, "#!/bin/sh\nexec /usr/bin/octave-cli \"$@\"\n");
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
            File.SetUnixFileMode(entry, (UnixFileMode)0b111_101_101);
        try
        {
            await using var engine = new EngineHarness(c => c.Engine.Executable = executable);

            var outcome = await engine.RunAsync(
                $"disp(fileread('{prefix}/share/octave/marker.txt')); disp(exist('{root}/beside/marker.txt', 'file'))");

            await Assert.That(outcome.Output).IsEqualTo("install-marker\n0\n");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public async Task View_Proc1CommandLine_ShowsNoHostPaths()
    {
        await using var engine = new EngineHarness(c => c.CodePolicy.Enabled = false);

        var outcome = await engine.RunAsync("disp(strrep(fileread('/proc/1/cmdline'), char(0), ' '))");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Completed);
        await Assert.That(outcome.Output).Contains("bwrap"); // it is bubblewrap's init, just without its mount list
        await Assert.That(outcome.Output).DoesNotContain(engine.Factory.Root);
        await Assert.That(outcome.Output).DoesNotContain("bind");
        await Assert.That(outcome.Output).DoesNotContain("/etc");
    }

    [Test]
    public async Task View_PlotsStillExport()
    {
        await using var engine = new EngineHarness();

        var outcome = await engine.RunAsync(
            "f = figure('visible', 'off'); plot(1:3); title('ok'); print(f, 'a.png', '-dpng'); print(f, 'b.svg', '-dsvg'); close(f); " +
            "a = dir('a.png'); b = dir('b.svg'); printf('%d %d\\n', a.bytes > 1000, b.bytes > 1000)");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Completed);
        await Assert.That(outcome.Output.EndsWith("1 1\n", StringComparison.Ordinal)).IsTrue().Because(outcome.Output); // after a toolkit warning, if any
        var folder = (await engine.SessionAsync()).Folder;
        var png = await File.ReadAllBytesAsync(Path.Combine(folder, "a.png"));
        await Assert.That(png[..4].AsEnumerable()).IsEquivalentTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, CollectionOrdering.Matching);
        // HOME is the session folder: nothing (a font cache, a history file) may appear there besides the user's files.
        await Assert.That(Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order()).IsEquivalentTo(new string?[] { "a.png", "b.svg" }, CollectionOrdering.Matching);
    }

    [Test]
    public async Task ReadOnlyPaths_AreVisible_AndNotWritable()
    {
        // Under /var/tmp: the engine's /tmp is private anyway, so a folder there would prove nothing.
        var project = Directory.CreateDirectory($"/var/tmp/mcp-project-{Guid.NewGuid():N}").FullName;
        File.WriteAllText(Path.Combine(project, "data.txt"), "project-marker");
        File.SetUnixFileMode(Path.Combine(project, "data.txt"), (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(project, (UnixFileMode)0b111_111_111); // writable on the host: only the mount may stop a write
        var code = $"try, disp(fileread('{project}/data.txt')); catch, disp('absent'); end; disp(fopen('{project}/new.txt', 'w'))";
        try
        {
            await using var without = new EngineHarness(c => c.CodePolicy.Enabled = false);
            var hidden = await without.RunAsync(code);
            await using var with = new EngineHarness(c => { c.CodePolicy.Enabled = false; c.Sandbox.ReadOnlyPaths = [project]; });
            var shown = await with.RunAsync(code);

            await Assert.That(hidden.Output).IsEqualTo("absent\n-1\n");
            await Assert.That(shown.Output).IsEqualTo("project-marker\n-1\n");
            await Assert.That(File.Exists(Path.Combine(project, "new.txt"))).IsFalse();
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Test]
    public async Task HiddenPaths_InsideAReadOnlyPath_StayMasked()
    {
        var project = Directory.CreateDirectory($"/var/tmp/mcp-project-{Guid.NewGuid():N}").FullName;
        Directory.CreateDirectory(Path.Combine(project, "private"));
        File.WriteAllText(Path.Combine(project, "data.txt"), "project-marker");
        File.WriteAllText(Path.Combine(project, "private", "key.txt"), "folder-secret-marker");
        File.WriteAllText(Path.Combine(project, "server.yaml"), "file-secret-marker");
        foreach (var entry in Directory.EnumerateFileSystemEntries(project, "*", SearchOption.AllDirectories).Append(project))
            File.SetUnixFileMode(entry, Directory.Exists(entry) ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100);
        try
        {
            await using var engine = new EngineHarness(c =>
            {
                c.CodePolicy.Enabled = false;
                c.Sandbox.ReadOnlyPaths = [project];
                c.Sandbox.HiddenPaths = [Path.Combine(project, "private"), Path.Combine(project, "server.yaml")];
            });

            var outcome = await engine.RunAsync(
                $"disp(fileread('{project}/data.txt')); s = ''; try, s = [s fileread('{project}/private/key.txt')]; end; " +
                $"try, s = [s fileread('{project}/server.yaml')]; end; disp(['[' s ']'])");

            await Assert.That(outcome.Output).IsEqualTo("project-marker\n[]\n");
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Test]
    public async Task Environment_IsAllowListed_PassEnvComesThrough_HomeIsTheSessionFolder()
    {
        Environment.SetEnvironmentVariable("MCP_TEST_CLOUD_SECRET", "secret-env-marker");
        Environment.SetEnvironmentVariable("MCP_TEST_PASSED", "passed-marker");
        try
        {
            await using var engine = new EngineHarness(c => { c.CodePolicy.Enabled = false; c.Sandbox.PassEnv = ["MCP_TEST_PASSED"]; });

            var outcome = await engine.RunAsync(
                "disp(getenv('MCP_TEST_CLOUD_SECRET')); disp(getenv('MCP_TEST_PASSED')); disp(strcmp(getenv('HOME'), pwd)); " +
                "disp(isempty(getenv('PATH'))); [s, out] = system('env'); disp(out)");

            await Assert.That(outcome.Status).IsEqualTo(JobState.Completed);
            await Assert.That(outcome.Output).StartsWith("\npassed-marker\n1\n0\n");
            await Assert.That(outcome.Output).DoesNotContain("secret-env-marker"); // not under any name
        }
        finally
        {
            Environment.SetEnvironmentVariable("MCP_TEST_CLOUD_SECRET", null);
            Environment.SetEnvironmentVariable("MCP_TEST_PASSED", null);
        }
    }

    internal static string UniqueSeconds() => Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Owner(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%u", path]) { RedirectStandardOutput = true })!;
        var owner = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return owner;
    }
}

/// <summary>Without bubblewrap there is no pid namespace: the engine's session, process tree and uid find its children.</summary>
[NotInParallel] // process budgets, uids and stray processes are counted host-wide: runs alone
public sealed class UnsandboxedChildrenTests
{
    [Test]
    public async Task TimeLimit_Unsandboxed_KillsTheCodesBackgroundProcesses()
    {
        await using var engine = new EngineHarness(c => { c.Sandbox.Enabled = false; c.CodePolicy.Enabled = false; });
        var seconds = SandboxIsolationTests.UniqueSeconds();

        var run = engine.RunAsync($"kept = 5; system('sleep {seconds} &'); while true, end", timeoutSeconds: 8);
        await Wait.UntilAsync(() => HostProcesses.WithCommandLine("sleep", seconds).Count == 1, "the background sleep to start");
        var outcome = await run;

        await Assert.That(outcome.Status).IsEqualTo(JobState.TimedOut);
        await Wait.UntilAsync(() => HostProcesses.WithCommandLine("sleep", seconds).Count == 0, "the background sleep to be killed", 10);
        await Assert.That((await engine.RunAsync("disp(kept)")).Output).IsEqualTo("5\n");
    }

    [Test]
    public async Task SessionClose_Unsandboxed_KillsTheCodesBackgroundProcesses_AndHomeIsTheSessionFolder()
    {
        await using var engine = new EngineHarness(c => { c.Sandbox.Enabled = false; c.CodePolicy.Enabled = false; });
        var seconds = SandboxIsolationTests.UniqueSeconds();

        var outcome = await engine.RunAsync($"system('sleep {seconds} &'); disp(getenv('HOME'))");
        await Wait.UntilAsync(() => HostProcesses.WithCommandLine("sleep", seconds).Count == 1, "the background sleep to start");
        var folder = (await engine.SessionAsync()).Folder;
        await engine.Sessions.CloseAsync(CallerIdentity.Local, "main");

        await Assert.That(outcome.Output).IsEqualTo(folder + "\n");
        await Wait.UntilAsync(() => HostProcesses.WithCommandLine("sleep", seconds).Count == 0, "the background sleep to be killed", 10);
    }

    [Test, RootOnly("a process that left the engine's session is found by the engine's own uid")]
    public async Task SessionClose_Unsandboxed_KillsEvenAProcessThatLeftTheEnginesSession()
    {
        await using var engine = new EngineHarness(c => { c.Sandbox.Enabled = false; c.CodePolicy.Enabled = false; });
        var seconds = SandboxIsolationTests.UniqueSeconds();

        await engine.RunAsync($"system('setsid sleep {seconds} > /dev/null 2>&1 &');");
        await Wait.UntilAsync(() => HostProcesses.WithCommandLine("sleep", seconds).Count == 1, "the background sleep to start");
        await engine.Sessions.CloseAsync(CallerIdentity.Local, "main");

        await Wait.UntilAsync(() => HostProcesses.WithCommandLine("sleep", seconds).Count == 0, "the background sleep to be killed", 10);
    }
}
