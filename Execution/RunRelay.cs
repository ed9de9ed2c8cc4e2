using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;

namespace MatlabMcp.Execution;

/// <summary>
/// Relays a running job to the caller waiting for it, through its <see cref="IExecutionObserver"/>.
/// <list type="number">
/// <item>When the caller takes progress, a first progress notification at once that names the job, so the client can cancel it
/// (cancel_job) long before the sync window ends.</item>
/// <item>Printed output while it is printed: at most output.max_output_chars in all, in pieces of
/// at most 64 KB, then one note that the rest was cut (<see cref="LiveOutput"/>).</item>
/// <item>One progress notification per mcp_progress report (reports faster than the interval coalesce to the latest),
/// and a heartbeat when nothing was sent for execution.heartbeat_interval, so clients that reset their timeout on
/// progress never give up on long code. Progress values only ever increase, as MCP requires.</item>
/// </list>
/// Rate limit: at most one notification of each kind per <see cref="Interval"/>, a burst of output coalescing into one.
/// </summary>
internal sealed class RunRelay : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SendGrace = TimeSpan.FromSeconds(2);
    private readonly IExecutionObserver _observer;
    private readonly Job _job;
    private readonly TimeSpan _heartbeat;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly LiveOutput _output;
    private readonly RunEventStream _events;
    private readonly CancellationTokenSource _stop = new();  // ends the loop's waits
    private readonly CancellationTokenSource _abort;        // ends a send: only when the client stopped reading
    private readonly Task _loop;
    private Task<bool>? _waiting;   // the stream's pending wait, kept across heartbeats
    private ProgressReported? _report;
    private bool _reportUnsent;
    private long _lastProgressAt;
    private float _lastSent = -1;

    public RunRelay(IExecutionObserver observer, Job job, TimeSpan heartbeat, int outputBudget, TimeProvider time)
    {
        (_observer, _job, _heartbeat, _time) = (observer, job, heartbeat, time);
        _started = _lastProgressAt = time.GetTimestamp();
        _output = new LiveOutput(outputBudget);
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        // The stream starts at the beginning of the run: output printed before the relay started goes out first, now.
        _events = job.Output.Events;
        _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        try
        {
            // Sends are never cut by the stop: a notification abandoned half written would break the client's stream.
            if (!await SendStartedAsync(_abort.Token))
                return;
            while (!token.IsCancellationRequested)
            {
                // Without progress only output wakes the loop; with it, a heartbeat falls due too.
                var heartbeatIn = _heartbeat - _time.GetElapsedTime(Interlocked.Read(ref _lastProgressAt));
                var wait = !_observer.TakesProgress ? Timeout.InfiniteTimeSpan : heartbeatIn > TimeSpan.Zero ? heartbeatIn : TimeSpan.Zero;
                // More than one piece waiting: the next goes out after the interval, without waiting for new events.
                if (_output.HasPending || await EventsWaitingAsync(wait, token))
                    await Task.Delay(Interval, _time, token); // gather a burst into one notification
                Take();
                if (!await FlushAsync(final: false, _abort.Token))
                    return; // the caller stopped listening; the job itself carries on
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>True when events wait to be taken; false when a heartbeat is due first. Waits out a run that has ended.</summary>
    private async Task<bool> EventsWaitingAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        _waiting ??= _events.WaitToReadAsync(cancellationToken).AsTask();
        try
        {
            var more = await _waiting.WaitAsync(wait, _time, cancellationToken);
            _waiting = null;
            if (!more)
                await Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken); // ended: nothing more until the stop
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Takes every waiting event: output into the live budget, the newest report to send.</summary>
    private void Take()
    {
        while (_events.TryRead(out var next))
            switch (next)
            {
                case OutputPrinted printed:
                    _output.Add(printed.Text);
                    break;
                case OutputCut:
                    _output.MarkCut();
                    break;
                case ProgressReported report:
                    (_report, _reportUnsent) = (report, true);
                    break;
            }
    }

    private Task<bool> SendStartedAsync(CancellationToken cancellationToken)
    {
        var record = _job.Record;
        // Queued (waiting for its session or engine) or running: either way the id is what a client needs to stop it.
        return SendProgressAsync(0, null, $"job {record.Id} ({record.State.Name()}) in session '{record.Session}'; " +
            $"cancel_job with job_id \"{record.Id}\" stops it", cancellationToken);
    }

    /// <summary>
    /// Sends waiting output (one piece; all of it when <paramref name="final"/>), then a new report or a due heartbeat.
    /// False once the caller has stopped listening.
    /// </summary>
    private async Task<bool> FlushAsync(bool final, CancellationToken cancellationToken)
    {
        while (_output.TakePiece(final) is { } piece)
        {
            if (!await _observer.OutputAsync(piece, cancellationToken))
                return false;
            if (!final)
                break;
        }
        if (_output.TakeNote() is { } note && !await _observer.OutputAsync(note, cancellationToken))
            return false;
        if (!_observer.TakesProgress)
            return true;
        var report = _report;
        var elapsed = _time.GetElapsedTime(_started).TotalSeconds;
        if (_reportUnsent && report is not null)
        {
            _reportUnsent = false;
            return await SendProgressAsync((float)(report.Fraction * 100), 100, Describe(report, elapsed), cancellationToken);
        }
        else if (!final && _time.GetElapsedTime(Interlocked.Read(ref _lastProgressAt)) >= _heartbeat)
        {
            // With a report: still percent of 100. Without: a count of heartbeats, no total.
            var lastLine = LiveOutput.LastLineOf(_job.Output.Tail(LiveOutput.TailChars));
            var message = report is not null ? Describe(report, elapsed)
                : lastLine.Length > 0 ? $"running {elapsed:0} s: {lastLine}" : $"running {elapsed:0} s";
            return await SendProgressAsync(report is not null ? (float)(report.Fraction * 100) : _lastSent + 1,
                report is not null ? 100 : null, message, cancellationToken);
        }
        return true;
    }

    private static string Describe(ProgressReported report, double elapsed) =>
        ClientText.Escape($"{report.Fraction:P0} {report.Message}".TrimEnd()) + $" ({elapsed:0} s)";

    private Task<bool> SendProgressAsync(float value, float? total, string message, CancellationToken cancellationToken)
    {
        if (!_observer.TakesProgress)
            return Task.FromResult(true);
        _lastSent = Math.Max(value, _lastSent + 0.001f);
        Interlocked.Exchange(ref _lastProgressAt, _time.GetTimestamp());
        return _observer.ProgressAsync(_lastSent, total, message, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        // A client that stopped reading must not hold up the result: its sends get a bounded time, then are abandoned.
        _abort.CancelAfter(SendGrace);
        await _loop;
        Take();
        try
        {
            await FlushAsync(final: true, _abort.Token); // output and a report from just before the end still go out first
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        _abort.Dispose();
    }
}
