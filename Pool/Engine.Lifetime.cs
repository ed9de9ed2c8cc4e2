using Microsoft.Extensions.Logging;

namespace MatlabMcp.Pool;

/// <summary>The engine process: its stdin and stderr, how it ended, and stopping or killing it with all it started.</summary>
internal sealed partial class Engine
{
    private async Task WriteStdinAsync(string line)
    {
        try
        {
            await _process.StandardInput.WriteAsync(line);
            await _process.StandardInput.FlushAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            MarkDead($"the engine's input closed ({e.Message})");
        }
    }

    /// <summary>Engine output outside any evaluation (startup messages, prompt noise after an interrupt).</summary>
    private void OnStray(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
            return;
        line = line.TrimEnd();
        LogEngineOutput(_logger, ProcessId, line);
        lock (_stderrTail)
        {
            _stderrTail.Enqueue(line);
            if (_stderrTail.Count > 10)
                _stderrTail.Dequeue();
        }
    }

    /// <summary>How the process ended, or null if it is still running (or already disposed).</summary>
    private string? DescribeExit(int waitMilliseconds)
    {
        try
        {
            if (!_process.WaitForExit(waitMilliseconds))
                return null;
            var code = _process.ExitCode;
            return code > 128 ? $"the engine process was killed by signal {code - 128}"
                : $"the engine process exited with code {code}";
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        MarkDead("the engine was stopped");
        // Closing the request pipe ends the bridge loop (it quits on end of stream); kill if it lingers.
        _bridge?.CloseRequests();
        try
        {
            if (!_process.HasExited)
            {
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    KillTree(); // the remains are swept once, below
                }
            }
        }
        catch (InvalidOperationException)
        {
        }
        _bridge?.Dispose();
        _process.Dispose();
        File.Delete(_launch.RequestPipe);
        File.Delete(_launch.ResponsePipe);
        if (_launch.ArgumentsFile is { } arguments)
            File.Delete(arguments);
        // On close nothing the code started outlives the engine; then its uid may go to the next engine.
        EngineProcesses.KillRemains(Scope);
        _launch.Account?.Dispose();
    }

    /// <summary>Kills the engine and everything it started; waiting is bounded and "already gone" is fine.</summary>
    public void Kill()
    {
        KillTree();
        // Unsandboxed, children re-parented away from the tree are still in the engine's session.
        EngineProcesses.KillRemains(Scope);
        MarkDead("the engine was killed");
    }

    private void KillTree()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "engine {ProcessId}: {Line}")]
    private static partial void LogEngineOutput(ILogger logger, int processId, string line);
}
