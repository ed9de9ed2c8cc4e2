using MatlabMcp.Jobs;
using MatlabMcp.Output;

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
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();  // ends the loop's waits
    private readonly CancellationTokenSource _abort;        // ends a send: only when the client stopped reading
    private readonly Task _loop;
    private JobProgress? _report;
    private int _reports;      // reports seen; a report goes out when this differs from _reportsSent
    private int _reportsSent;
    private long _lastProgressAt;
    private float _lastSent = -1;

    public RunRelay(IExecutionObserver observer, Job job, TimeSpan heartbeat, int outputBudget, TimeProvider time)
    {
        (_observer, _job, _heartbeat, _time) = (observer, job, heartbeat, time);
        _started = _lastProgressAt = time.GetTimestamp();
        _output = new LiveOutput(outputBudget);
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        // Output printed before the relay started comes first (through OnOutput, which wakes the loop), then every
        // chunk as it comes; what came before goes out now, not at the next heartbeat or with the result.
        job.Output.Subscribe(OnOutput);
        job.Progressed += OnProgress;
        if (job.LastProgress is { } earlier && Interlocked.CompareExchange(ref _report, earlier, null) is null)
            OnProgress(earlier);
        _loop = Task.Run(RunAsync);
    }

    private void OnOutput(string chunk)
    {
        _output.Add(chunk);
        Wake();
    }

    private void OnProgress(JobProgress progress)
    {
        _report = progress;
        Interlocked.Increment(ref _reports);
        Wake();
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
        }
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
                if (await _wake.WaitAsync(wait, token))
                    await Task.Delay(Interval, _time, token); // gather a burst into one notification
                if (!await FlushAsync(final: false, _abort.Token))
                    return; // the caller stopped listening; the job itself carries on
                if (_output.HasPending)
                    Wake(); // more than one piece waiting: the next goes out after the interval
            }
        }
        catch (OperationCanceledException)
        {
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
        var reports = Volatile.Read(ref _reports);
        var report = _report;
        var elapsed = _time.GetElapsedTime(_started).TotalSeconds;
        if (reports != _reportsSent && report is not null)
        {
            _reportsSent = reports;
            return await SendProgressAsync((float)(report.Fraction * 100), 100, Describe(report, elapsed), cancellationToken);
        }
        else if (!final && _time.GetElapsedTime(Interlocked.Read(ref _lastProgressAt)) >= _heartbeat)
        {
            // With a report: still percent of 100. Without: a count of heartbeats, no total.
            var lastLine = _output.LastLine;
            var message = report is not null ? Describe(report, elapsed)
                : lastLine.Length > 0 ? $"running {elapsed:0} s: {lastLine}" : $"running {elapsed:0} s";
            return await SendProgressAsync(report is not null ? (float)(report.Fraction * 100) : _lastSent + 1,
                report is not null ? 100 : null, message, cancellationToken);
        }
        return true;
    }

    private static string Describe(JobProgress report, double elapsed) =>
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
        _job.Output.Unsubscribe(OnOutput);
        _job.Progressed -= OnProgress;
        await _stop.CancelAsync();
        // A client that stopped reading must not hold up the result: its sends get a bounded time, then are abandoned.
        _abort.CancelAfter(SendGrace);
        await _loop;
        try
        {
            await FlushAsync(final: true, _abort.Token); // output and a report from just before the end still go out first
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        _abort.Dispose();
        _wake.Dispose();
    }
}
