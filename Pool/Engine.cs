using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MatlabMcp.Configuration;
using Microsoft.Extensions.Logging;

namespace MatlabMcp.Pool;

/// <summary>
/// One running engine process and its bridge connection. Requests are matched to responses by id on a
/// dedicated reader thread. The engine does not serialise callers: its session does.
/// </summary>
internal sealed partial class Engine : IAsyncDisposable
{
    private readonly Process _process;
    private readonly EngineLaunch _launch;
    private readonly EngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<BridgeResponse>> _pending = new();
    private readonly ConcurrentDictionary<long, OutputSink> _sinks = new();
    private readonly ConcurrentDictionary<long, string> _scripts = new(); // multi-line code in flight, to explain its parse errors
    private readonly TaskCompletionSource<string> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _outputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _writeLock = new();
    private readonly Queue<string> _stderrTail = new();
    private TaskCompletionSource<BridgeResponse> _ready = NewWaiter();
    private TaskCompletionSource _prompt = NewSignal();
    private long _begunId;
    private FileStream? _requests;
    private FileStream? _responses;
    private long _nextId;
    private string? _deathReason;

    private Engine(Process process, EngineLaunch launch, EngineOptions options, TimeProvider time, ILogger logger)
    {
        _process = process;
        ProcessId = process.Id;
        _launch = launch;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The engine process itself (inside a sandbox it is a grandchild of the launcher).</summary>
    public int ProcessId { get; private set; }

    /// <summary>Health checks failed in a row (see pool.health_failures_to_replace).</summary>
    public int ConsecutiveHealthFailures { get; set; }

    /// <summary>Completes with a readable reason when the engine is gone.</summary>
    public Task<string> Exited => _exited.Task;
    public bool IsAlive => !_exited.Task.IsCompleted;

    /// <summary>
    /// Evaluates code; its printed output streams into <paramref name="sink"/> and the response carries it.
    /// Throws <see cref="EngineDiedException"/> if the engine dies.
    /// </summary>
    public Task<BridgeResponse> EvalAsync(string code, OutputSink sink)
    {
        // Sent ahead and not awaited: the bridge handles frames in order, so the eval sees the functions forgotten.
        if (FunctionFiles?.Check() is { } changes)
            _ = Send(new BridgeRequest(Interlocked.Increment(ref _nextId), BridgeRequest.Reload, Changes: changes), sink: null)
                .ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return SendAsync(code.Contains('\n') && _options.Kind != "matlab" ? BridgeRequest.Script : BridgeRequest.Eval, code, sink: sink);
    }

    /// <summary>The function files of the session folder this engine works in (set when a session rents it).</summary>
    public FunctionFileWatch? FunctionFiles { get; set; }

    /// <summary>The response with a parse error of multi-line code pointed at what was left open (see <see cref="ParseErrorLocator"/>).</summary>
    private BridgeResponse Explained(BridgeResponse response) =>
        _scripts.TryRemove(response.Id, out var code) && response.Error is { Identifier: "" } error
            ? response with { Error = ParseErrorLocator.Explain(code, error) }
            : response;

    /// <summary>Sends a request and waits for its response; throws <see cref="EngineDiedException"/> if the engine dies.</summary>
    public Task<BridgeResponse> SendAsync(string op, string? code = null, int? maxVariables = null, OutputSink? sink = null) =>
        Send(new BridgeRequest(Interlocked.Increment(ref _nextId), op, code, maxVariables), sink);

    private Task<BridgeResponse> Send(BridgeRequest request, OutputSink? sink)
    {
        var (id, op, code) = (request.Id, request.Op, request.Code);
        var waiter = NewWaiter();
        _pending[id] = waiter;
        if (sink is not null)
            _sinks[id] = sink;
        if (op == BridgeRequest.Script)
            _scripts[id] = code!;
        if (!IsAlive)
            MarkDead(_deathReason!);
        else
            Write(BridgeFraming.Encode(JsonSerializer.SerializeToUtf8Bytes(request, BridgeJson.Default.BridgeRequest)));
        return waiter.Task;
    }

    /// <summary>
    /// Interrupts the request in flight, keeping the workspace. Returns the request's own response if it
    /// finished first, null if it was interrupted, and throws if the engine would not come back in time.
    /// </summary>
    /// <remarks>
    /// Octave turns SIGINT into a flag (on its own signal thread) and unwinds to its prompt at the next statement;
    /// typing the bridge command there resumes the loop, which says "ready". The steps:
    /// 1. Signal only once the bridge has read the whole request (its begin marker, or its response): a signal that
    ///    lands between a frame's length and its body leaves the body in the pipe, and the resumed bridge reads it
    ///    as the next length (the "did not answer after an interrupt" failures under load), while one that lands
    ///    before the frame was read lets the code run after the resume, with no time limit.
    /// 2. Until "ready" only zero-length "nudge" frames are sent: they give an idle bridge statements to run (the
    ///    request may have finished just before the signal) and, having no body, cannot be split by an unwind.
    /// 3. The bridge command is typed only when the unwound REPL shows its prompt (see EngineLaunch.PromptToken), and
    ///    again at every further prompt: a line typed before the unwind can be swallowed by it, one typed at the prompt
    ///    is read by it, and a line that did not reach the bridge ends in a new prompt. No surplus line is left in stdin.
    /// Every SIGINT yields exactly one unwind, so after "ready" no interrupt is pending: a ping proves the stream is in step.
    /// </remarks>
    public async Task<BridgeResponse?> InterruptAsync(Task<BridgeResponse> inFlight)
    {
        using var grace = new CancellationTokenSource(_options.InterruptGrace, _time);
        var id = PendingId(inFlight);
        // 1. The whole request must be in the bridge's hands before the signal.
        if (id is { } taken)
        {
            var begun = _sinks.TryGetValue(taken, out var sink) ? sink.Begun : null; // an eval sent without a sink is polled
            while (!inFlight.IsCompleted && Volatile.Read(ref _begunId) < taken && IsAlive && !grace.IsCancellationRequested)
                await Task.WhenAny(inFlight, Exited, begun ?? Task.Delay(BeginPoll, _time), Task.Delay(NudgeInterval, _time));
        }
        if (grace.IsCancellationRequested)
            throw new EngineDiedException($"the engine did not take the request within {_options.InterruptGraceSeconds:0.#} s (engine.interrupt_grace)");
        var ready = _ready = NewWaiter();
        var prompt = _prompt = NewSignal();
        if (!Native.Interrupt(ProcessId))
            throw new EngineDiedException(await Exited);
        // The code's children end with it: a foreground system() call returns so the interrupt can unwind, and
        // a background one does not outlive the call (swept again below, for any started meanwhile).
        KillChildren();
        // Without a known prompt (MATLAB) the line is typed at once, as the only way to resume.
        var prompted = false;
        var unseen = 0;
        if (_options.Kind != "octave")
            await WriteStdinAsync(_launch.ResumeCommand(_options.Kind));
        var round = 0;
        for (; !ready.Task.IsCompleted && !grace.IsCancellationRequested && IsAlive; round++)
        {
            if (prompt.Task.IsCompleted)
            {
                // 3. At the prompt (again): the REPL waits for exactly this line. After a line typed unseen, the first
                // prompt may be the one that reads it: only a further prompt says it did not reach the bridge.
                prompt = _prompt = NewSignal();
                prompted = true;
                if (unseen > 0)
                    unseen--;
                else
                    await WriteStdinAsync(_launch.ResumeCommand(_options.Kind));
            }
            else if (!prompted)
            {
                // 2. Nudges until the unwind; after it the bridge is not reading, and they would only queue up.
                Write(BridgeFraming.Nudge);
                // Octave 7 can lose a SIGINT: its signal thread raises "signal caught" before it counts the interrupt,
                // and a check between the two clears the flag without seeing the count. Any later signal makes it look
                // at the count again; SIGCHLD does nothing else there and never counts as a second interrupt. It is
                // sent only once the SIGINT left the kernel's queue: Octave ignores SIGINT while it handles SIGCHLD,
                // and a SIGINT still queued then would be discarded.
                if (round >= PokeAfterRounds && !Native.IsSignalPending(ProcessId, Native.SigInt))
                    Native.Poke(ProcessId);
                // Last resort for a prompt that is not ours (user code changed PS1): type the line unseen, once.
                if (round == BlindTypeAfterRounds)
                {
                    LogPromptNotSeen(_logger, ProcessId);
                    await WriteStdinAsync(_launch.ResumeCommand(_options.Kind));
                    unseen++;
                }
            }
            await Task.WhenAny(ready.Task, prompt.Task, Exited, Task.Delay(NudgeInterval, _time));
        }
        if (!IsAlive)
            throw new EngineDiedException(await Exited);
        if (!ready.Task.IsCompletedSuccessfully)
            throw new EngineDiedException(
                $"the engine did not respond to an interrupt within {_options.InterruptGraceSeconds:0.#} s (engine.interrupt_grace)" +
                $" [{round} rounds, prompt seen: {(prompted ? "yes" : "no")}, {Native.SignalState(ProcessId)}]");
        // The bridge is back at the top of its loop: a ping proves the stream is in step.
        try
        {
            await SendAsync(BridgeRequest.Ping).WaitAsync(_options.InterruptGrace, _time);
        }
        catch (TimeoutException)
        {
            throw new EngineDiedException("the engine did not answer after an interrupt");
        }
        KillChildren();
        if (inFlight.IsCompletedSuccessfully)
            return await inFlight;
        if (id is { } unwound)
        {
            _pending.TryRemove(unwound, out _); // unwound: its response will never come
            _sinks.TryRemove(unwound, out _);
            _scripts.TryRemove(unwound, out _);
        }
        return null;
    }

    private long? PendingId(Task<BridgeResponse> inFlight)
    {
        foreach (var (id, waiter) in _pending)
            if (waiter.Task == inFlight)
                return id;
        return null;
    }

    /// <summary>Called by the output reader at every begin marker (on its thread).</summary>
    private void OnBegun(long id) => Volatile.Write(ref _begunId, id);

    /// <summary>Called by the output reader when the REPL shows its prompt: it has unwound and waits for a line.</summary>
    private void OnPrompt() => _prompt.TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EngineProcesses.Scope Scope => new(ProcessId, _launch.Sandboxed, _launch.Account?.Uid);

    private void KillChildren()
    {
        if (EngineProcesses.KillChildren(Scope) is > 0 and var killed)
            LogChildrenKilled(_logger, ProcessId, killed);
    }

    private static readonly TimeSpan NudgeInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan BeginPoll = TimeSpan.FromMilliseconds(2);
    private const int PokeAfterRounds = 5;
    private const int BlindTypeAfterRounds = 300;

    private void ReadLoop()
    {
        string reason;
        try
        {
            while (BridgeFraming.Read(_responses!) is { } body)
            {
                var message = JsonSerializer.Deserialize(body, BridgeJson.Default.BridgeResponse)!;
                if (message.IsReady)
                    _ready.TrySetResult(message);
                else if (message.IsProgress)
                    _sinks.GetValueOrDefault(message.Id)?.Progress(message.Progress, message.Message ?? "");
                else if (_pending.TryRemove(message.Id, out var waiter))
                {
                    message = Explained(message);
                    // The sink stays registered until its end marker: the output may still be in the stdout pipe.
                    if (_sinks.TryGetValue(message.Id, out var sink))
                        CompleteWithOutput(waiter, message, sink);
                    else
                        waiter.TrySetResult(message);
                }
                else
                    LogUnexpectedFrame(_logger, ProcessId, message.Id);
            }
            reason = "the engine closed its bridge pipe";
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or ObjectDisposedException)
        {
            reason = $"the bridge connection broke ({e.Message})";
        }
        // The process exit, when it is the cause, describes it better than the pipe does.
        MarkDead(DescribeExit(waitMilliseconds: 500) ?? reason);
    }

    /// <summary>
    /// Output travels on stdout, the response on the pipe: the response completes once the output's end
    /// marker has also been read (usually already), or after a bounded catch-up wait.
    /// </summary>
    private void CompleteWithOutput(TaskCompletionSource<BridgeResponse> waiter, BridgeResponse response, OutputSink sink)
    {
        ITimer? catchUp = null;
        void Finish()
        {
            catchUp?.Dispose();
            _sinks.TryRemove(response.Id, out _);
            waiter.TrySetResult(response with { Output = sink.Text });
        }
        if (!sink.WhenEnded(Finish))
        {
            Finish();
            return;
        }
        // A timer disposed on completion, not Task.Delay: a 2 s delay per call would sit in the timer queue long
        // after its call (the marker usually follows the response within microseconds).
        catchUp = _time.CreateTimer(_ =>
        {
            if (waiter.Task.IsCompleted)
                return;
            LogOutputLate(_logger, ProcessId, response.Id);
            Finish();
        }, null, OutputCatchUp, Timeout.InfiniteTimeSpan);
        if (waiter.Task.IsCompleted)
            catchUp.Dispose(); // the marker arrived while the timer was being made
    }

    private static readonly TimeSpan OutputCatchUp = TimeSpan.FromSeconds(2);

    private void Write(byte[] frame)
    {
        try
        {
            lock (_writeLock)
            {
                _requests!.Write(frame);
                _requests.Flush();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            MarkDead($"the engine stopped reading requests ({e.Message})");
        }
    }

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

    private void MarkDead(string reason)
    {
        lock (_pending)
            _deathReason ??= reason;
        reason = _deathReason;
        _exited.TrySetResult(reason);
        _ready.TrySetException(new EngineDiedException(reason));
        foreach (var id in _pending.Keys)
            if (_pending.TryRemove(id, out var waiter))
                waiter.TrySetException(new EngineDiedException(reason));
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

    public async ValueTask DisposeAsync()
    {
        MarkDead("the engine was stopped");
        // Closing the request pipe ends the bridge loop (it quits on end of stream); kill if it lingers.
        _requests?.Dispose();
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
        _responses?.Dispose();
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

    private static TaskCompletionSource<BridgeResponse> NewWaiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Warning, Message = "engine {ProcessId}: no prompt after an interrupt; typing the bridge command unseen")]
    private static partial void LogPromptNotSeen(ILogger logger, int processId);

    [LoggerMessage(Level = LogLevel.Information, Message = "engine {ProcessId}: {Count} processes started by the code were killed after an interrupt")]
    private static partial void LogChildrenKilled(ILogger logger, int processId, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "engine {ProcessId}: {Line}")]
    private static partial void LogEngineOutput(ILogger logger, int processId, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "engine {ProcessId}: output of request {RequestId} did not end in time")]
    private static partial void LogOutputLate(ILogger logger, int processId, long requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "engine {ProcessId}: frame for unknown request {RequestId} ignored")]
    private static partial void LogUnexpectedFrame(ILogger logger, int processId, long requestId);
}
