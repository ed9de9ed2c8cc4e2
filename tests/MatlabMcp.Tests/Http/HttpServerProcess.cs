using System.Diagnostics;
using System.Text;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Http;

/// <summary>
/// The built server started with <c>--transport http --port 0</c> on loopback, as an operator would start it.
/// Ready once it logs its endpoint (the only way to learn a port chosen by the OS); stopped with SIGTERM.
/// </summary>
internal sealed class HttpServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _workRoot;
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _endpoint = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HttpServerProcess(Process process, string workRoot)
    {
        _process = process;
        _workRoot = workRoot;
    }

    /// <summary>The MCP endpoint, e.g. http://127.0.0.1:41234/mcp.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public Uri BaseAddress => new(Endpoint, "/");

    public int ProcessId => _process.Id;

    /// <summary>Sends SIGTERM, as systemd does to stop the service.</summary>
    public async Task TerminateAsync()
    {
        using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await term.WaitForExitAsync();
    }

    /// <summary>The exit code once the server has exited.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    public static async Task<HttpServerProcess> StartAsync(IReadOnlyList<string>? arguments = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var workRoot = Directory.CreateTempSubdirectory("mcp-http-").FullName;
        File.SetUnixFileMode(workRoot, (UnixFileMode)0b111_101_101); // engines may run as another user (sandbox.engine_user)
        var info = StartInfo(["--transport", "http", "--port", "0", .. arguments ?? []], environment);
        info.Environment["MATLAB_MCP_ENGINE__WORK_ROOT"] = workRoot;
        info.Environment["MATLAB_MCP_JOBS__DATABASE"] = Path.Combine(workRoot, "jobs.db");
        var server = new HttpServerProcess(new Process { StartInfo = info, EnableRaisingEvents = true }, workRoot);
        server._process.ErrorDataReceived += (_, e) => server.OnStderr(e.Data);
        server._process.Exited += (_, _) => server._endpoint.TrySetException(
            new InvalidOperationException($"the server exited before listening:\n{server.Stderr}"));
        server._process.Start();
        server._process.BeginErrorReadLine();
        server._process.BeginOutputReadLine();
        try
        {
            server.Endpoint = await server._endpoint.Task.WaitAsync(StartTimeout);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Runs the server to completion (for arguments that make it exit), capturing its output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Process.Start(StartInfo(arguments, environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"matlab-mcp {string.Join(' ', arguments)} did not exit:\n{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The server's command line with a clean MATLAB_MCP_* environment plus <paramref name="environment"/>.</summary>
    internal static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Repo.ServerDll);
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        // A clean slate: nothing from the test runner's own MATLAB_MCP_* settings leaks in.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MATLAB_MCP_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        return info;
    }

    private void OnStderr(string? line)
    {
        if (line is null)
            return;
        lock (_stderr)
            _stderr.AppendLine(line);
        const string Marker = "MCP endpoint ";
        var at = line.IndexOf(Marker, StringComparison.Ordinal);
        if (at >= 0)
            _endpoint.TrySetResult(new Uri(line[(at + Marker.Length)..].Split(' ')[0]));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM, so the server stops its engines and removes its folders as it would under systemd.
            await TerminateAsync();
            await _process.WaitOrKillAsync(TimeSpan.FromSeconds(15));
        }
        _process.Dispose();
        Directory.Delete(_workRoot, recursive: true);
    }
}
