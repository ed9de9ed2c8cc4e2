using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace MatlabMcp.Pool;

/// <summary>Something a run did, in the order it did it (<see cref="RunEventStream"/>).</summary>
internal abstract record RunEvent;

/// <summary>Text the code printed (as printed: escaping is for whoever shows it).</summary>
internal sealed record OutputPrinted(string Text) : RunEvent;

/// <summary>Printed output past the stream's budget is not streamed; this comes once, where it starts.</summary>
internal sealed record OutputCut : RunEvent;

/// <summary>An mcp_progress(fraction, message) report of the running code.</summary>
internal sealed record ProgressReported(double Fraction, string Message, DateTimeOffset At) : RunEvent;

/// <summary>The run has ended; nothing follows.</summary>
internal sealed record RunEnded : RunEvent;

/// <summary>
/// One run's events as one ordered stream with one reader (the relay of the call waiting for the run). It is written from
/// the start of the run whether or not anyone reads, so a reader that comes later starts at the beginning; what it holds
/// is bounded however much the code prints or reports:
/// <list type="bullet">
/// <item>Output: the first <c>budget</c> characters, then one <see cref="OutputCut"/>.</item>
/// <item>Progress: at most <see cref="MaxUnreadReports"/> unread reports; past that, the newest unread one takes each new
/// value (a reader that lags sees the latest report, not a backlog of stale ones).</item>
/// </list>
/// </summary>
internal sealed class RunEventStream(int budget)
{
    internal const int MaxUnreadReports = 16;
    private readonly Channel<object> _channel = Channel.CreateUnbounded<object>();
    private readonly Lock _lock = new();
    private PendingReport? _newestReport;
    private int _unreadReports;
    private long _written;
    private bool _cut;

    /// <summary>A report in the stream: until the reader takes it, a later one may replace its value.</summary>
    private sealed class PendingReport(ProgressReported report)
    {
        public ProgressReported Report = report;
        public bool Taken;
    }

    internal void Output(ReadOnlySpan<char> chunk)
    {
        lock (_lock)
        {
            if (_cut || chunk.IsEmpty)
                return;
            var take = (int)Math.Min(chunk.Length, budget - _written);
            if (take > 0 && take < chunk.Length && char.IsHighSurrogate(chunk[take - 1]))
                take--; // never half a character
            if (take > 0)
            {
                _written += take;
                _channel.Writer.TryWrite(new OutputPrinted(chunk[..take].ToString()));
            }
            if (take < chunk.Length)
            {
                _cut = true;
                _channel.Writer.TryWrite(new OutputCut());
            }
        }
    }

    internal void Progress(ProgressReported report)
    {
        lock (_lock)
        {
            if (_unreadReports >= MaxUnreadReports && _newestReport is { } pending)
                lock (pending)
                    if (!pending.Taken)
                    {
                        pending.Report = report;
                        return;
                    }
            _newestReport = new PendingReport(report);
            Interlocked.Increment(ref _unreadReports);
            _channel.Writer.TryWrite(_newestReport);
        }
    }

    internal void End()
    {
        lock (_lock)
        {
            _channel.Writer.TryWrite(new RunEnded());
            _channel.Writer.TryComplete();
        }
    }

    /// <summary>The next event, if one is waiting.</summary>
    public bool TryRead([NotNullWhen(true)] out RunEvent? next)
    {
        if (!_channel.Reader.TryRead(out var item))
        {
            next = null;
            return false;
        }
        if (item is PendingReport pending)
        {
            lock (pending)
            {
                pending.Taken = true;
                next = pending.Report;
            }
            Interlocked.Decrement(ref _unreadReports);
        }
        else
            next = (RunEvent)item;
        return true;
    }

    /// <summary>True when an event is waiting; false once the stream has ended and been read to its end.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);
}
