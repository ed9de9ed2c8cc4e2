using System.Text;
using MatlabMcp.Output;

namespace MatlabMcp.Execution;

/// <summary>
/// What one call streams of the output its code prints, handed out escaped in pieces that fit one notification, then a
/// single note when the rest was cut. The budget (output.max_output_chars, the result's own) is the run's event stream's
/// (<see cref="Pool.RunEventStream"/>): this holds at most what the stream gave it, so however much code prints,
/// streaming it costs the server bounded memory. <c>budget</c> here only names the figure in the note.
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
    private bool _cut;
    private bool _noted;

    /// <summary>Printed output from the run's event stream.</summary>
    public void Add(string chunk)
    {
        lock (_lock)
            _pending.Append(chunk);
    }

    /// <summary>The stream cut the output here: the note goes out after the last piece.</summary>
    public void MarkCut()
    {
        lock (_lock)
            _cut = true;
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
            if (!_cut || _noted || _pending.Length > 0)
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
