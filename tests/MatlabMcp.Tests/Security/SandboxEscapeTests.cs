using System.Diagnostics;
using System.Net.Sockets;
using System.Net;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Tests.Http;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Security;

/// <summary>
/// Real escape attempts run inside the engine, with nothing but the sandbox in the way (no code policy
/// on this path): each must fail, and the server must stay healthy.
/// </summary>
[NotInParallel] // escape attempts fill process and memory budgets: runs alone
public sealed class SandboxEscapeTests : IAsyncDisposable
{
    private readonly string _secrets = Executables.Folder("mcp-secrets-");
    private readonly EngineHarness _engine;

    public SandboxEscapeTests()
    {
        var config = Path.Combine(_secrets, "config.yaml");
        File.WriteAllText(config, "# secret-config-marker\n");
        File.WriteAllText(Path.Combine(_secrets, "tokens"), "alice:secret-token-marker\n");
        _engine = new EngineHarness(c =>
        {
            c.SourcePath = config;
            c.Sandbox.HiddenPaths = [Path.Combine(_secrets, "tokens")];
            c.Sandbox.MemoryMb = 1024;
            c.Sandbox.MaxProcesses = 100;
            c.CodePolicy.Enabled = false; // the sandbox alone must hold
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_secrets, recursive: true);
    }

    [Test]
    public async Task Sandbox_IsActiveOnThisMachine()
    {
        await Assert.That(_engine.Sandbox.IsActive).IsTrue().Because(_engine.Sandbox.Status);
    }

    [Test]
    public async Task Network_TcpConnectionToTheHost_Fails()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync();

        var outcome = await _engine.RunAsync(
            $"[status, out] = system('bash -c \"echo hi > /dev/tcp/127.0.0.1/{port}\" 2>&1'); disp(status ~= 0)");

        await Assert.That(outcome.Output).IsEqualTo("1\n");
        await Assert.That(await Task.WhenAny(accepted, Task.Delay(1000))).IsNotSameReferenceAs(accepted);

        // The same probe outside the sandbox does connect: a probe that could never connect proves nothing.
        using var control = Process.Start(new ProcessStartInfo("bash", ["-c", $"echo hi > /dev/tcp/127.0.0.1/{port}"]))!;
        await control.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        using var client = await accepted.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.That(control.ExitCode).IsEqualTo(0);
    }

    [Test]
    public async Task OtherSession_FilesAreInvisible()
    {
        await _engine.RunAsync("fid = fopen('secret.txt', 'w'); fprintf(fid, 'other-session-marker'); fclose(fid);", session: "victim");
        var victim = Path.Combine((await _engine.SessionAsync("victim")).Folder, "secret.txt");
        await Assert.That(File.Exists(victim)).IsTrue();

        var outcome = await _engine.RunAsync($"try, disp(fileread('{victim}')); catch e, disp('denied'); end", session: "attacker");

        await Assert.That(outcome.Output).IsEqualTo("denied\n");
    }

    [Test]
    public async Task Write_OutsideTheSessionFolder_FailsOrStaysInTheSandbox()
    {
        var pipes = _engine.Factory.PipesFolder;
        var outcome = await _engine.RunAsync(
            $"disp(fopen('/etc/mcp-escape.txt', 'w')); disp(fopen('/usr/mcp-escape.txt', 'w')); fid = fopen('{pipes}/planted', 'w'); if fid > 0, fclose(fid); end");

        await Assert.That(outcome.Output).IsEqualTo("-1\n-1\n");
        await Assert.That(File.Exists("/etc/mcp-escape.txt")).IsFalse();
        await Assert.That(File.Exists(Path.Combine(pipes, "planted"))).IsFalse(); // the work root is a private tmpfs inside
    }

    [Test]
    public async Task ServerSecrets_ConfigTokensDatabaseAndHome_AreUnreadable()
    {
        var home = Environment.GetEnvironmentVariable("HOME")!;
        var outcome = await _engine.RunAsync(
            $"s = ''; try, s = [s fileread('{_secrets}/config.yaml')]; end; try, s = [s fileread('{_secrets}/tokens')]; end; " +
            $"try, s = [s fileread('{_engine.Config.Jobs.Database}')]; end; d = dir('{home}'); disp(numel(d) <= 2); disp(s)");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Completed);
        await Assert.That(outcome.Output).StartsWith("1\n"); // the server's HOME is not in the engine's view
        await Assert.That(outcome.Output).DoesNotContain("secret-config-marker");
        await Assert.That(outcome.Output).DoesNotContain("secret-token-marker");
        await Assert.That(outcome.Output).DoesNotContain("SQLite");
    }

    [Test]
    public async Task ForkBomb_IsStoppedByTheProcessLimit_AndTheServerStaysHealthy()
    {
        var outcome = await _engine.RunAsync(
            "[status, out] = system('for i in $(seq 1 300); do sleep 3 & done 2>&1 | grep -c -i -E \"fork|resource\"'); disp(str2double(out) > 0)",
            timeoutSeconds: 60);

        await Assert.That(outcome.Output).IsEqualTo("1\n");
        await Assert.That((await _engine.RunAsync("disp(1 + 1)")).Output).IsEqualTo("2\n");
    }

    [Test]
    public async Task Memory_PastTheLimit_FailsTheCallNotTheEngine()
    {
        await _engine.RunAsync("kept = 3;");

        var outcome = await _engine.RunAsync("x = ones(4e8, 1);"); // 3.2 GB against a 1 GB limit

        await Assert.That(outcome.Status).IsEqualTo(JobState.Failed);
        await Assert.That(outcome.Error!.Message).Contains("memory");
        await Assert.That((await _engine.RunAsync("disp(kept)")).Output).IsEqualTo("3\n");
    }
}

/// <summary>Without a working bubblewrap the server refuses to start unless told otherwise (fault injection: a broken bwrap).</summary>
[NotInParallel] // the sandbox group (a broken bubblewrap on the path): runs alone
public sealed class SandboxMissingTests : IDisposable
{
    private readonly string _bin = Executables.Folder("mcp-nobwrap-");
    private readonly string _workRoot = Directory.CreateTempSubdirectory("mcp-nobwrap-work-").FullName;

    public SandboxMissingTests()
    {
        var fake = Path.Combine(_bin, "bwrap");
        File.WriteAllText(fake, "#!/bin/sh\necho 'bwrap: No permissions to creating new namespace' >&2\nexit 1\n");
        File.SetUnixFileMode(fake, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(_workRoot, (UnixFileMode)0b111_101_101); // engines may run as another user (sandbox.engine_user)
    }

    public void Dispose()
    {
        Directory.Delete(_bin, recursive: true);
        Directory.Delete(_workRoot, recursive: true);
    }

    private async Task<(int ExitCode, string Stderr)> RunServerAsync(params (string, string)[] environment)
    {
        // Its own work root and job database: the unsandboxed run must not touch the user's state folder.
        var settings = new Dictionary<string, string>
        {
            ["PATH"] = $"{_bin}:{Environment.GetEnvironmentVariable("PATH")}",
            ["MATLAB_MCP_ENGINE__WORK_ROOT"] = _workRoot,
            ["MATLAB_MCP_JOBS__DATABASE"] = Path.Combine(_workRoot, "jobs.db"),
        };
        foreach (var (key, value) in environment)
            settings[key] = value;
        var info = HttpServerProcess.StartInfo([], settings);
        using var server = Process.Start(info)!;
        var stderr = new System.Text.StringBuilder();
        server.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        server.BeginErrorReadLine();
        // Both outcomes are said on stderr at start: the refusal (then it exits) or the warning (then it serves).
        await Wait.UntilAsync(() => { lock (stderr) return server.HasExited || stderr.ToString().Contains("sandbox", StringComparison.Ordinal); },
            "the server to report on its sandbox");
        server.StandardInput.Close(); // a stdio server ends when its client goes away
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        lock (stderr)
            return (server.ExitCode, stderr.ToString());
    }

    [Test]
    public async Task BrokenBubblewrap_RefusesToStartWithAdvice()
    {
        var (exitCode, stderr) = await RunServerAsync();

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(stderr).Contains("sandbox cannot run");
        await Assert.That(stderr).Contains("sandbox.allow_unsandboxed");
    }

    [Test]
    public async Task BrokenBubblewrap_WithAllowUnsandboxed_StartsWithALoudWarning()
    {
        var (exitCode, stderr) = await RunServerAsync(("MATLAB_MCP_SANDBOX__ALLOW_UNSANDBOXED", "true"));

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(stderr).Contains("WARNING: engine sandbox UNSANDBOXED");
    }
}
