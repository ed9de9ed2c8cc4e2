using System.Text;
using MatlabMcp.Output;

namespace MatlabMcp.Pool;

/// <summary>
/// What one evaluation printed, as it is printed. Bounded: the first two thirds of <paramref name="keepChars"/>
/// and the last third are kept and the middle is counted (characters and line breaks), so a runaway print loop cannot
/// exhaust memory and the text shown says exactly how much it left out, cut at line boundaries (<see cref="TextBudget"/>).
/// With a <see cref="OutputSpill"/> the full text streams to a session file from the moment the budget is first exceeded.
/// Everything the run does, it also writes to <see cref="Events"/>, in order, for whoever streams the run.
/// </summary>
internal sealed class OutputSink(int keepChars, TimeProvider? time = null)
{
    /// <summary>Longest mcp_progress message kept: it travels in every progress notification and job status.</summary>
    internal const int MaxProgressMessageChars = 1000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly int _headChars = keepChars * 2 / 3;
    private readonly int _tailChars = keepChars - keepChars * 2 / 3;
    private readonly Lock _lock = new();
    private readonly StringBuilder _head = new();
    private readonly StringBuilder _tail = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _begun = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action? _whenEnded;
    private long _omitted;
    private long _omittedLines;
    private bool _tailAtLineStart;
    private OutputSpill? _spill;

    /// <summary>The run's output (within its budget), progress and end, as one ordered stream.</summary>
    public RunEventStream Events { get; } = new(keepChars);

    /// <summary>The last mcp_progress report, or null.</summary>
    public ProgressReported? LatestProgress { get; private set; }

    /// <summary>
    /// Completes when the bridge printed this evaluation's begin marker: it has then read the whole request frame,
    /// so an interrupt can no longer leave part of the frame unread in the request pipe.
    /// </summary>
    public Task Begun => _begun.Task;

    internal void Begin() => _begun.TrySetResult();

    /// <summary>Completes when the bridge marked the end of this evaluation's output.</summary>
    public Task Ended => _ended.Task;

    public string Text
    {
        get
        {
            lock (_lock)
                return Snapshot();
        }
    }

    private string Snapshot() => Cut(keepChars).Text;

    private (string Text, bool Truncated) Cut(int maxChars) =>
        TextBudget.Cut(_head.ToString(), _omitted, _omittedLines, _tail.ToString(), maxChars,
            _spill is { Opened: true } spill ? spill.RelativePath : null, _spill?.Cut ?? false, _tailAtLineStart);

    /// <summary>The output cut to at most <paramref name="maxChars"/> (head and tail), with the true count of what is left out.</summary>
    public (string Text, bool Truncated) View(int maxChars)
    {
        lock (_lock)
            return Cut(Math.Min(maxChars, keepChars));
    }

    /// <summary>The budget this output is kept within.</summary>
    public int KeepChars => keepChars;

    /// <summary>Characters held in memory now: never more than <see cref="KeepChars"/>, however much is printed.</summary>
    public int HeldChars
    {
        get { lock (_lock) return _head.Length + _tail.Length; }
    }

    /// <summary>Where the full text goes once it outgrows the budget (set before the run starts), or null.</summary>
    public OutputSpill? Spill
    {
        get { lock (_lock) return _spill; }
    }

    /// <summary>Streams the full text to <paramref name="spill"/> from the moment it outgrows the budget (call before the run).</summary>
    internal void SpillTo(OutputSpill spill)
    {
        lock (_lock)
            _spill = spill;
    }

    /// <summary>Closes the spill file: the output is complete (idempotent).</summary>
    internal void CloseSpill()
    {
        lock (_lock)
            _spill?.Close();
    }

    public bool Truncated
    {
        get { lock (_lock) return _omitted > 0; }
    }

    internal void Append(ReadOnlySpan<char> chunk)
    {
        if (chunk.IsEmpty)
            return;
        lock (_lock)
        {
            if (_spill is { } spill)
            {
                // The file opens once the budget is first exceeded, with everything held so far (nothing was dropped yet).
                if (!spill.Opened && _omitted == 0 && _head.Length + _tail.Length + chunk.Length > keepChars)
                    spill.Open(_head.ToString() + _tail);
                spill.Write(chunk);
            }
            var toHead = Math.Min(chunk.Length, Math.Max(0, _headChars - _head.Length));
            _head.Append(chunk[..toHead]);
            _tail.Append(chunk[toHead..]);
            if (_tail.Length > _tailChars)
            {
                var drop = _tail.Length - _tailChars;
                var dropped = _tail.ToString(0, drop); // counted as it goes, so the marker's line count is exact
                _omittedLines += dropped.AsSpan().Count('\n');
                _tailAtLineStart = dropped[^1] == '\n';
                _tail.Remove(0, drop);
                _omitted += drop;
            }
            Events.Output(chunk);
        }
    }

    /// <summary>The last <paramref name="chars"/> characters printed (never starting inside a surrogate pair).</summary>
    public string Tail(int chars)
    {
        lock (_lock)
        {
            var end = _tail.Length >= chars || _omitted > 0 ? _tail.ToString() : _head + _tail.ToString();
            if (end.Length <= chars)
                return end;
            var start = end.Length - chars;
            return end[(char.IsLowSurrogate(end[start]) ? start + 1 : start)..];
        }
    }

    internal void Progress(double fraction, string message)
    {
        var report = new ProgressReported(Math.Clamp(fraction, 0, 1), Shorten(message), _time.GetUtcNow());
        LatestProgress = report;
        Events.Progress(report);
    }

    private static string Shorten(string message)
    {
        if (message.Length <= MaxProgressMessageChars)
            return message;
        var keep = MaxProgressMessageChars - 1;
        if (char.IsHighSurrogate(message[keep - 1]))
            keep--; // never half a character: a lone surrogate is not valid UTF-8 on the wire
        return message[..keep] + "…";
    }

    /// <summary>
    /// Runs <paramref name="action"/> once the output has ended (inline on the output thread, so the caller
    /// is not handed across threads twice); false when it has already ended and the caller should act now.
    /// </summary>
    internal bool WhenEnded(Action action)
    {
        lock (_lock)
        {
            if (_ended.Task.IsCompleted)
                return false;
            _whenEnded += action;
            return true;
        }
    }

    internal void End()
    {
        Action? whenEnded;
        lock (_lock)
        {
            _spill?.Close(); // before the result is read: the file is complete and its size final
            if (!_ended.TrySetResult())
                return;
            whenEnded = _whenEnded;
            _whenEnded = null;
        }
        whenEnded?.Invoke();
    }
}
