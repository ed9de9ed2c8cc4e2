using System.Diagnostics;
using MatlabMcp.Configuration;
using Microsoft.Extensions.Logging;

namespace MatlabMcp.Pool;

/// <summary>Starting an engine: pipes, launch, connecting both ends, and explaining a failed start.</summary>
internal sealed partial class Engine
{
    public static async Task<Engine> StartAsync(EngineLaunch launch, Func<ProcessStartInfo?> startInfo, Action<string> preparePipe,
        EngineOptions options, ProcessSpawner spawner, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var pipe in new[] { launch.RequestPipe, launch.ResponsePipe })
        {
            File.Delete(pipe);
            Native.CreateFifo(pipe);
            preparePipe(pipe);
        }
        // Built after the pipes exist: the sandbox binds them into the engine's view.
        var info = startInfo();
        if (info is null)
            throw new EngineStartException(
                $"The {options.Kind.Name()} engine executable '{EngineLaunch.ExecutableName(options)}' was not found. " +
                "Install it (the README's first command does) or set engine.executable to its full path.");
        Process process;
        try
        {
            process = await spawner.StartAsync(info);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new EngineStartException(
                $"Could not start the {options.Kind.Name()} engine '{EngineLaunch.ExecutableName(options)}': {e.Message}. " +
                "Install it (the README's first command does) or set engine.executable.");
        }
        var engine = new Engine(process, launch, options, time, logger);
        try
        {
            await engine.ConnectAsync(options.Kind, cancellationToken);
            return engine;
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    private async Task ConnectAsync(EngineKind kind, CancellationToken cancellationToken)
    {
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => MarkDead(DescribeExit(0) ?? "the engine process ended");
        _process.ErrorDataReceived += (_, e) => OnStray(e.Data);
        _process.BeginErrorReadLine();
        var output = new EngineOutputReader(id => _sinks.GetValueOrDefault(id), OnStray,
            kind == EngineKind.Octave ? _launch.PromptToken : null, OnBegun, OnPrompt);
        new Thread(() =>
        {
            output.Run(_process.StandardOutput);
            _outputEnded.TrySetResult();
        }) { IsBackground = true, Name = $"engine-{ProcessId}-output" }.Start();
        if (kind == EngineKind.Octave)
            await WriteStdinAsync(_launch.StartupCommand(kind));

        using var timeout = new CancellationTokenSource(_options.StartupTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var openRequests = OpenFifoAsync(_launch.RequestPipe, FileAccess.Write);
        var openResponses = OpenFifoAsync(_launch.ResponsePipe, FileAccess.Read);
        try
        {
            var opened = Task.WhenAll(openRequests, openResponses);
            if (await Task.WhenAny(opened, Exited).WaitAsync(linked.Token) != opened)
                throw new EngineStartException(await StartFailureAsync(await Exited));
            var bridge = _bridge = new BridgeConnection(await openRequests, await openResponses);
            new Thread(() => ReadLoop(bridge)) { IsBackground = true, Name = $"engine-{ProcessId}-reader" }.Start();
            await _ready.Task.WaitAsync(linked.Token);
            ProcessId = Native.FindEngineProcess(_process.Id); // SIGINT must reach the engine, not its sandbox launcher
        }
        catch (EngineDiedException e)
        {
            throw new EngineStartException(await StartFailureAsync(e.Message));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            UnblockOpens(openRequests, openResponses);
            throw new EngineStartException(await StartFailureAsync($"did not become ready within {_options.StartupTimeoutSeconds:0.#} s (engine.startup_timeout)"));
        }
        catch
        {
            UnblockOpens(openRequests, openResponses);
            throw;
        }
    }

    /// <summary>
    /// Opening a FIFO blocks until the engine opens the other end, as long as Octave takes to start (0.2-1 s), so each
    /// open gets a thread of its own: two thread-pool threads blocked here are the whole pool on two cores, and the
    /// server's first answers (tools/list, the first execute_code) then waited ~1 s for the pool to add threads.
    /// </summary>
    private static Task<FileStream> OpenFifoAsync(string path, FileAccess access) =>
        Task.Factory.StartNew(() => new FileStream(path, FileMode.Open, access, FileShare.ReadWrite, 0),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private async Task<string> StartFailureAsync(string what)
    {
        // The exit can be seen before the last stderr lines are read: let them drain (bounded).
        using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(1), _time);
        try
        {
            await _process.WaitForExitAsync(drain.Token);
            await _outputEnded.Task.WaitAsync(drain.Token); // its last words travel on stdout (2>&1), read by our own thread
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
        }
        lock (_stderrTail)
        {
            var tail = _stderrTail.Count == 0 ? "" : " Engine said: " + string.Join(" | ", _stderrTail);
            return $"The {_options.Kind.Name()} engine {what}.{tail}";
        }
    }

    /// <summary>A FIFO open blocks until its peer opens; opening the peer ourselves releases a stuck open.</summary>
    private void UnblockOpens(params Task<FileStream>[] opens)
    {
        foreach (var (open, path) in opens.Zip(new[] { _launch.RequestPipe, _launch.ResponsePipe }))
        {
            if (open.IsCompleted)
                continue;
            try
            {
                using var peer = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 0);
            }
            catch (IOException)
            {
            }
            _ = DisposeWhenOpenedAsync(open);
        }
    }

    private static async Task DisposeWhenOpenedAsync(Task<FileStream> open)
    {
        try
        {
            await (await open).DisposeAsync();
        }
        catch (IOException)
        {
        }
    }
}
