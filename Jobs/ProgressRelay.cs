using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Jobs;

/// <summary>
/// Relays a running job to the client waiting for it: printed output as log notifications as it is
/// produced, and (when the request carries a progress token) progress notifications with every
/// mcp_progress report plus a heartbeat every execution.heartbeat_interval, so clients that reset their
/// timeout on progress never give up on long code. Progress values only ever increase, as MCP requires.
/// </summary>
internal sealed class ProgressRelay : IAsyncDisposable
{
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(100);
    private readonly McpServer _server;
    private readonly ProgressToken? _token;
    private readonly Job _job;
    private readonly TimeSpan _heartbeat;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly StringBuilder _output = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private JobProgress? _progress;
    private float _lastSent;

    public ProgressRelay(McpServer server, ProgressToken? token, Job job, TimeSpan heartbeat, TimeProvider time)
    {
        (_server, _token, _job, _heartbeat, _time) = (server, token, job, heartbeat, time);
        _started = time.GetTimestamp();
        // Output printed before the relay started comes first (through OnOutput, which wakes the loop), then every
        // chunk as it comes; what came before goes out now, not at the next heartbeat or with the result.
        job.Output.Subscribe(OnOutput);
        _progress = job.LastProgress;
        job.Progressed += OnProgress;
        if (_progress is not null)
            Wake();
        _loop = Task.Run(RunAsync);
    }

    private void OnOutput(string chunk)
    {
        lock (_output)
            _output.Append(chunk);
        Wake();
    }

    private void OnProgress(JobProgress progress)
    {
        _progress = progress;
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
            while (!token.IsCancellationRequested)
            {
                await _wake.WaitAsync(_heartbeat, token); // woken by output or progress, else a heartbeat
                await Task.Delay(Coalesce, _time, token); // gather a burst of output into one message
                await FlushAsync(token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or McpException)
        {
            // The client went away; the job itself carries on.
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        string text;
        lock (_output)
        {
            text = _output.ToString();
            _output.Clear();
        }
        if (text.Length > 0)
            await _server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification, new LoggingMessageNotificationParams
            {
                Level = LoggingLevel.Info,
                Logger = "matlab-output",
                Data = JsonSerializer.SerializeToElement(text, AppJson.Default.String),
            }, cancellationToken: cancellationToken);
        if (_token is not { } progressToken)
            return;
        var elapsed = _time.GetElapsedTime(_started).TotalSeconds;
        var reported = _progress;
        var lastLine = text.TrimEnd().Split('\n')[^1];
        var message = reported is not null
            ? $"{reported.Fraction:P0} {reported.Message}".TrimEnd() + $" ({elapsed:0} s)"
            : lastLine.Length > 0 ? $"running {elapsed:0} s: {lastLine}" : $"running {elapsed:0} s";
        // With reported progress: percent of 100. Without: a count of heartbeats, no total.
        var value = reported is not null ? (float)(reported.Fraction * 100) : _lastSent + 1;
        _lastSent = Math.Max(value, _lastSent + 0.001f);
        await _server.NotifyProgressAsync(progressToken, new ProgressNotificationValue
        {
            Progress = _lastSent,
            Total = reported is not null ? 100 : null,
            Message = message,
        }, cancellationToken: cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _job.Output.Unsubscribe(OnOutput);
        _job.Progressed -= OnProgress;
        await _stop.CancelAsync();
        await _loop;
        try
        {
            using var last = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
            await FlushAsync(last.Token); // output printed just before the end still goes out first
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or McpException)
        {
        }
        _stop.Dispose();
        _wake.Dispose();
    }
}
