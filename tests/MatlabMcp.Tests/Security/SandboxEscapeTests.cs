using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MatlabMcp.Jobs;
using MatlabMcp.Tests.Http;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Security;

[CollectionDefinition("sandbox", DisableParallelization = true)]
public sealed class SandboxCollection;

/// <summary>
/// Real escape attempts run inside the engine, with nothing but the sandbox in the way (no code policy
/// on this path): each must fail, and the server must stay healthy.
/// </summary>
[Collection("sandbox")]
public sealed class SandboxEscapeTests : IAsyncLifetime
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

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_secrets, recursive: true);
    }

    [Fact]
    public void Sandbox_IsActiveOnThisMachine()
    {
        Assert.True(_engine.Sandbox.IsActive, _engine.Sandbox.Status);
    }

    [Fact]
    public async Task Network_TcpConnectionToTheHost_Fails()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync();

        var outcome = await _engine.RunAsync(
            $"[status, out] = system('bash -c \"echo hi > /dev/tcp/127.0.0.1/{port}\" 2>&1'); disp(status ~= 0)");

        Assert.Equal("1\n", outcome.Output);
        Assert.NotSame(accepted, await Task.WhenAny(accepted, Task.Delay(1000)));

        // The same probe outside the sandbox does connect: a probe that could never connect proves nothing.
        using var control = Process.Start(new ProcessStartInfo("bash", ["-c", $"echo hi > /dev/tcp/127.0.0.1/{port}"]))!;
        await control.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        using var client = await accepted.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, control.ExitCode);
    }

    [Fact]
    public async Task OtherSession_FilesAreInvisible()
    {
        await _engine.RunAsync("fid = fopen('secret.txt', 'w'); fprintf(fid, 'other-session-marker'); fclose(fid);", session: "victim");
        var victim = Path.Combine((await _engine.SessionAsync("victim")).Folder, "secret.txt");
        Assert.True(File.Exists(victim));

        var outcome = await _engine.RunAsync($"try, disp(fileread('{victim}')); catch e, disp('denied'); end", session: "attacker");

        Assert.Equal("denied\n", outcome.Output);
    }

    [Fact]
    public async Task Write_OutsideTheSessionFolder_FailsOrStaysInTheSandbox()
    {
        var pipes = _engine.Factory.PipesFolder;
        var outcome = await _engine.RunAsync(
            $"disp(fopen('/etc/mcp-escape.txt', 'w')); disp(fopen('/usr/mcp-escape.txt', 'w')); fid = fopen('{pipes}/planted', 'w'); if fid > 0, fclose(fid); end");

        Assert.Equal("-1\n-1\n", outcome.Output);
        Assert.False(File.Exists("/etc/mcp-escape.txt"));
        Assert.False(File.Exists(Path.Combine(pipes, "planted"))); // the work root is a private tmpfs inside
    }

    [Fact]
    public async Task ServerSecrets_ConfigTokensDatabaseAndHome_AreUnreadable()
    {
        var home = Environment.GetEnvironmentVariable("HOME")!;
        var outcome = await _engine.RunAsync(
            $"s = ''; try, s = [s fileread('{_secrets}/config.yaml')]; end; try, s = [s fileread('{_secrets}/tokens')]; end; " +
            $"try, s = [s fileread('{_engine.Config.Jobs.Database}')]; end; d = dir('{home}'); disp(numel(d) <= 2); disp(s)");

        Assert.Equal(ExecutionStatus.Completed, outcome.Status);
        Assert.StartsWith("1\n", outcome.Output); // the server's HOME is not in the engine's view
        Assert.DoesNotContain("secret-config-marker", outcome.Output);
        Assert.DoesNotContain("secret-token-marker", outcome.Output);
        Assert.DoesNotContain("SQLite", outcome.Output);
    }

    [Fact]
    public async Task ForkBomb_IsStoppedByTheProcessLimit_AndTheServerStaysHealthy()
    {
        var outcome = await _engine.RunAsync(
            "[status, out] = system('for i in $(seq 1 300); do sleep 3 & done 2>&1 | grep -c -i -E \"fork|resource\"'); disp(str2double(out) > 0)",
            timeoutSeconds: 60);

        Assert.Equal("1\n", outcome.Output);
        Assert.Equal("2\n", (await _engine.RunAsync("disp(1 + 1)")).Output);
    }

    [Fact]
    public async Task Memory_PastTheLimit_FailsTheCallNotTheEngine()
    {
        await _engine.RunAsync("kept = 3;");

        var outcome = await _engine.RunAsync("x = ones(4e8, 1);"); // 3.2 GB against a 1 GB limit

        Assert.Equal(ExecutionStatus.Failed, outcome.Status);
        Assert.Contains("memory", outcome.Error!.Message);
        Assert.Equal("3\n", (await _engine.RunAsync("disp(kept)")).Output);
    }
}

/// <summary>Without a working bubblewrap the server refuses to start unless told otherwise (fault injection: a broken bwrap).</summary>
[Collection("sandbox")]
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
        await Task.Delay(1500);
        server.StandardInput.Close(); // a stdio server ends when its client goes away
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        lock (stderr)
            return (server.ExitCode, stderr.ToString());
    }

    [Fact]
    public async Task BrokenBubblewrap_RefusesToStartWithAdvice()
    {
        var (exitCode, stderr) = await RunServerAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains("sandbox cannot run", stderr);
        Assert.Contains("sandbox.allow_unsandboxed", stderr);
    }

    [Fact]
    public async Task BrokenBubblewrap_WithAllowUnsandboxed_StartsWithALoudWarning()
    {
        var (exitCode, stderr) = await RunServerAsync(("MATLAB_MCP_SANDBOX__ALLOW_UNSANDBOXED", "true"));

        Assert.Equal(0, exitCode);
        Assert.Contains("WARNING: engine sandbox UNSANDBOXED", stderr);
    }
}
