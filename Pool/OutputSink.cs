using System.Text;
using MatlabMcp.Output;

namespace MatlabMcp.Pool;

/// <summary>
/// What one evaluation printed, as it is printed. Bounded: the first two thirds of <paramref name="keepChars"/>
/// and the last third are kept and the middle is counted, so a runaway print loop cannot exhaust memory and
/// the text shown says exactly how much it left out. Listeners see every chunk live.
/// </summary>
internal sealed class OutputSink(int keepChars)
{
    private readonly int _headChars = keepChars * 2 / 3;
    private readonly int _tailChars = keepChars - keepChars * 2 / 3;
    private readonly Lock _lock = new();
    private readonly StringBuilder _head = new();
    private readonly StringBuilder _tail = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _begun = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action? _whenEnded;
    private long _omitted;

    /// <summary>Called for every chunk as it arrives, under the sink's lock (on the engine's output thread: keep it quick).</summary>
    public Action<string>? OnChunk { get; set; }

    /// <summary>
    /// Adds a listener and hands it everything printed so far first, under the lock like every later chunk:
    /// nothing is missed, seen twice or seen out of order.
    /// </summary>
    public void Subscribe(Action<string> listener)
    {
        lock (_lock)
        {
            if (Snapshot() is { Length: > 0 } before)
                listener(before);
            OnChunk += listener;
        }
    }

    public void Unsubscribe(Action<string> listener)
    {
        lock (_lock)
            OnChunk -= listener;
    }

    /// <summary>Called for every mcp_progress(value, message) of the running code.</summary>
    public Action<double, string>? OnProgress { get; set; }

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

    private string Snapshot() => TextBudget.Cut(_head.ToString(), _omitted, _tail.ToString(), keepChars).Text;

    /// <summary>The output cut to at most <paramref name="maxChars"/> (head and tail), with the true count of what is left out.</summary>
    public (string Text, bool Truncated) View(int maxChars)
    {
        lock (_lock)
            return TextBudget.Cut(_head.ToString(), _omitted, _tail.ToString(), Math.Min(maxChars, keepChars));
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
            var toHead = Math.Min(chunk.Length, Math.Max(0, _headChars - _head.Length));
            _head.Append(chunk[..toHead]);
            _tail.Append(chunk[toHead..]);
            if (_tail.Length > _tailChars)
            {
                var drop = _tail.Length - _tailChars;
                _tail.Remove(0, drop);
                _omitted += drop;
            }
            if (OnChunk is { } listeners)
                listeners(chunk.ToString());
        }
    }

    internal void Progress(double value, string message) => OnProgress?.Invoke(value, message);

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
            if (!_ended.TrySetResult())
                return;
            whenEnded = _whenEnded;
            _whenEnded = null;
        }
        whenEnded?.Invoke();
    }
}
