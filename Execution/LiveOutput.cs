using System.Text;
using MatlabMcp.Output;

namespace MatlabMcp.Execution;

/// <summary>
/// What one call streams of the output its code prints: the first <c>budget</c> characters (output.max_output_chars, the
/// result's own budget), handed out escaped in pieces that fit one notification, then a single note that the rest was
/// cut. It holds at most the budget, so however much code prints, streaming it costs the server bounded memory.
/// Thread-safe: the relay adds and takes.
/// </summary>
internal sealed class LiveOutput(int budget)
{
    /// <summary>
    /// Characters per piece. Escaped and JSON-encoded, a character takes at most 7 bytes (a C1 control becomes
    /// <c>\u009b</c>, its backslash doubled), so a piece and its envelope stay under 64 KB, which clients take in one read.
    /// </summary>
    public const int PieceChars = 8000;

    /// <summary>Characters of the output's end that <see cref="LastLineOf"/> needs.</summary>
    public const int TailChars = 400;
    private const int LastLineChars = 200;
    private readonly Lock _lock = new();
    private readonly StringBuilder _pending = new();
    private long _accepted;
    private long _cut;
    private bool _noted;

    /// <summary>A chunk the code printed (never more than the budget is kept).</summary>
    public void Add(string chunk)
    {
        lock (_lock)
        {
            var take = (int)Math.Min(chunk.Length, budget - _accepted);
            if (take > 0 && take < chunk.Length && char.IsHighSurrogate(chunk[take - 1]))
                take--; // never half a character
            _pending.Append(chunk, 0, take);
            _accepted += take;
            _cut += chunk.Length - take;
        }
    }

    /// <summary>The stream was cut before it reached this: the note goes out after the last piece.</summary>
    public void MarkCut()
    {
        lock (_lock)
            _cut = Math.Max(_cut, 1);
    }

    /// <summary>
    /// The next piece to send, escaped, or null when there is none. A trailing CR waits for the chunk after it (it may be
    /// half of a CRLF) unless <paramref name="final"/>.
    /// </summary>
    public string? TakePiece(bool final)
    {
        lock (_lock)
        {
            var length = Math.Min(_pending.Length, PieceChars);
            if (length < _pending.Length && char.IsHighSurrogate(_pending[length - 1]))
                length--;
            if (length > 0 && _pending[length - 1] == '\r')
            {
                if (length < _pending.Length)
                    length += _pending[length] == '\n' ? 1 : 0; // a CRLF goes out whole, as the LF it becomes
                else if (!final)
                    length--; // maybe half of a CRLF whose LF is still to come
            }
            if (length <= 0)
                return null;
            var piece = _pending.ToString(0, length);
            _pending.Remove(0, length);
            return ClientText.Escape(piece);
        }
    }

    /// <summary>True while pieces are waiting.</summary>
    public bool HasPending
    {
        get { lock (_lock) return _pending.Length > 0; }
    }

    /// <summary>Once, after the last piece of a cut stream: what was left out and where to find it.</summary>
    public string? TakeNote()
    {
        lock (_lock)
        {
            if (_cut == 0 || _noted || _pending.Length > 0)
                return null;
            _noted = true;
            return $"\n[output continues; live output is cut after {budget:N0} characters (output.max_output_chars): " +
                "the result shows the start and the end of the output]\n";
        }
    }

    /// <summary>The last line of <paramref name="tail"/> (its end when long), escaped: what a heartbeat shows.</summary>
    public static string LastLineOf(string tail)
    {
        var line = tail.TrimEnd();
        line = line[(line.LastIndexOf('\n') + 1)..];
        return End(ClientText.Escape(End(line, LastLineChars)), LastLineChars);
    }

    /// <summary>The last <paramref name="chars"/> characters of <paramref name="text"/>, never starting inside a surrogate pair.</summary>
    private static string End(string text, int chars)
    {
        if (text.Length <= chars)
            return text;
        var start = text.Length - chars;
        return text[(char.IsLowSurrogate(text[start]) ? start + 1 : start)..];
    }
}
