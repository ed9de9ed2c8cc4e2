using MatlabMcp.Configuration;
using Microsoft.Extensions.Logging;

namespace MatlabMcp.Pool;

/// <summary>The interrupt protocol: SIGINT, nudges and the resume line, until the bridge says "ready" again.</summary>
internal sealed partial class Engine
{
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
        if (_options.Kind != EngineKind.Octave)
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
                WriteNudge();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "engine {ProcessId}: no prompt after an interrupt; typing the bridge command unseen")]
    private static partial void LogPromptNotSeen(ILogger logger, int processId);

    [LoggerMessage(Level = LogLevel.Information, Message = "engine {ProcessId}: {Count} processes started by the code were killed after an interrupt")]
    private static partial void LogChildrenKilled(ILogger logger, int processId, int count);
}
