using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MatlabMcp.Configuration;
using Microsoft.Extensions.Logging;

namespace MatlabMcp.Pool;

/// <summary>
/// One running engine process and its bridge connection. Requests are matched to responses by id on a
/// dedicated reader thread that takes them off the <see cref="BridgeConnection"/>. The engine does not serialise
/// callers: its session does.
/// Its parts: requests and responses (here), the interrupt protocol (Engine.Interrupt.cs), the process and its
/// end (Engine.Lifetime.cs), starting and connecting (Engine.Start.cs).
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
    private readonly Queue<string> _stderrTail = new();
    private TaskCompletionSource<BridgeResponse> _ready = NewWaiter();
    private TaskCompletionSource _prompt = NewSignal();
    private long _begunId;
    private BridgeConnection? _bridge;
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
    /// <param name="call">A function to call with data instead of evaluating <paramref name="code"/> (which the policy checked).</param>
    /// <param name="addPath">An engine folder to add to the path first (it stays on the session's path).</param>
    public Task<BridgeResponse> EvalAsync(string code, OutputSink sink, FigureSettings? figures = null, EngineCall? call = null,
        string? addPath = null)
    {
        // Sent ahead and not awaited: the bridge handles frames in order, so the eval sees the functions forgotten.
        if (FunctionFiles?.Check() is { } changes)
            SendAhead(new BridgeRequest(Interlocked.Increment(ref _nextId), BridgeRequest.Reload, Changes: changes));
        // Sent ahead too: an existing folder (the server checked it) cannot fail to be added.
        if (addPath is not null)
            SendAhead(new BridgeRequest(Interlocked.Increment(ref _nextId), BridgeRequest.AddPath, addPath));
        if (call is not null)
            return Send(new BridgeRequest(Interlocked.Increment(ref _nextId), BridgeRequest.CallFunction, Figures: figures,
                Call: call.ToFrame()), sink);
        var op = code.Contains('\n') && _options.Kind != EngineKind.Matlab ? BridgeRequest.Script : BridgeRequest.Eval;
        return Send(new BridgeRequest(Interlocked.Increment(ref _nextId), op, code, Figures: figures), sink);
    }

    /// <summary>A request the next one depends on, not awaited: the bridge handles frames in order. Its failure is observed.</summary>
    private void SendAhead(BridgeRequest request) =>
        _ = Send(request, sink: null).ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>Exports and closes the figures left open (those of an interrupted call, whose eval did not get to it).</summary>
    public Task<BridgeResponse> ExportFiguresAsync(FigureSettings figures) =>
        Send(new BridgeRequest(Interlocked.Increment(ref _nextId), BridgeRequest.ExportFigures, Figures: figures), sink: null);

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

    /// <summary>Sends a request with fields of its own (built around the id it gets) and waits for its response.</summary>
    public Task<BridgeResponse> SendAsync(Func<long, BridgeRequest> build) => Send(build(Interlocked.Increment(ref _nextId)), sink: null);

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
            Write(request);
        return waiter.Task;
    }

    /// <summary>Reads responses until the pipe ends; runs on the engine's reader thread (see <see cref="BridgeConnection"/> for why a thread).</summary>
    private void ReadLoop(BridgeConnection bridge)
    {
        string reason;
        try
        {
            while (bridge.Read() is { } message)
                Dispatch(message);
            reason = "the engine closed its bridge pipe";
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or ObjectDisposedException)
        {
            reason = $"the bridge connection broke ({e.Message})";
        }
        // The process exit, when it is the cause, describes it better than the pipe does.
        MarkDead(DescribeExit(waitMilliseconds: 500) ?? reason);
    }

    private void Dispatch(BridgeResponse message)
    {
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

    private void Write(BridgeRequest request)
    {
        try
        {
            _bridge!.Write(request);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            MarkDead($"the engine stopped reading requests ({e.Message})");
        }
    }

    /// <summary>A zero-length frame: see the interrupt's step 2.</summary>
    private void WriteNudge()
    {
        try
        {
            _bridge!.Write(BridgeFraming.Nudge);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            MarkDead($"the engine stopped reading requests ({e.Message})");
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

    private static TaskCompletionSource<BridgeResponse> NewWaiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Warning, Message = "engine {ProcessId}: output of request {RequestId} did not end in time")]
    private static partial void LogOutputLate(ILogger logger, int processId, long requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "engine {ProcessId}: frame for unknown request {RequestId} ignored")]
    private static partial void LogUnexpectedFrame(ILogger logger, int processId, long requestId);
}
