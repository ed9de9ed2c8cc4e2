using System.Text;

namespace MatlabMcp.Pool;

/// <summary>
/// Splits the engine's merged stdout/stderr into per-request output. The bridge brackets each evaluation
/// with <c>RS "mcp:begin:&lt;id&gt;" LF</c> and <c>RS "mcp:end:&lt;id&gt;" LF</c> (RS = U+001E); text between them
/// belongs to that request, anything else (startup noise) goes to <c>stray</c>. Octave's prompt is set to
/// <c>RS "mcp:prompt:&lt;token&gt;" LF</c> with a random per-engine token: it is printed only when the REPL has
/// unwound (after an interrupt) and waits for a line, so it ends any open output and tells <c>prompt</c>.
/// </summary>
internal sealed class EngineOutputReader(Func<long, OutputSink?> findSink, Action<string> stray, string? promptToken = null,
    Action<long>? begun = null, Action? prompt = null)
{
    private const char RecordSeparator = '\u001e';
    private const int MaxMarkerLength = 64;
    private readonly StringBuilder _marker = new();
    private OutputSink? _current;

    /// <summary>Reads until end of stream; runs on the engine's output thread.</summary>
    public void Run(TextReader reader)
    {
        var buffer = new char[16 * 1024];
        int read;
        while ((read = reader.Read(buffer)) > 0)
            Feed(buffer.AsSpan(0, read));
        _current?.End();
    }

    internal void Feed(ReadOnlySpan<char> chunk)
    {
        while (!chunk.IsEmpty)
        {
            if (_marker.Length > 0)
            {
                var newline = chunk.IndexOf('\n');
                var take = newline < 0 ? chunk : chunk[..newline];
                _marker.Append(take);
                if (newline < 0)
                {
                    if (_marker.Length > MaxMarkerLength)
                        FlushMarkerAsText(); // an RS in user output, not a marker
                    return;
                }
                chunk = chunk[(newline + 1)..];
                HandleMarker();
                continue;
            }
            var separator = chunk.IndexOf(RecordSeparator);
            if (separator < 0)
            {
                Emit(chunk);
                return;
            }
            Emit(chunk[..separator]);
            _marker.Append(RecordSeparator);
            chunk = chunk[(separator + 1)..];
        }
    }

    private void HandleMarker()
    {
        var text = _marker.ToString(1, _marker.Length - 1);
        if (text.StartsWith("mcp:begin:", StringComparison.Ordinal) && long.TryParse(text.AsSpan(10), out var begin))
        {
            _current = findSink(begin);
            _current?.Begin();
            begun?.Invoke(begin);
            _marker.Clear();
        }
        else if (text.StartsWith("mcp:end:", StringComparison.Ordinal) && long.TryParse(text.AsSpan(8), out _))
        {
            _current?.End();
            _current = null;
            _marker.Clear();
        }
        else if (promptToken is not null && text.StartsWith("mcp:prompt:", StringComparison.Ordinal)
            && text.AsSpan(11).SequenceEqual(promptToken))
        {
            // The unwound REPL's own output (its newline) went to the interrupted request; nothing after it does.
            _current?.End();
            _current = null;
            _marker.Clear();
            prompt?.Invoke();
        }
        else
        {
            _marker.Append('\n');
            FlushMarkerAsText();
        }
    }

    private void FlushMarkerAsText()
    {
        var text = _marker.ToString();
        _marker.Clear();
        Emit(text);
    }

    private void Emit(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
            return;
        if (_current is not null)
            _current.Append(text);
        else
            stray(text.ToString());
    }
}
