using System.Buffers;
using System.Globalization;
using System.Text;

namespace MatlabMcp.Output;

/// <summary>
/// Makes text bound for a client inert: terminal control characters (C0 except newline and tab, DEL, and C1) become
/// visible escapes, so output shown in a terminal cannot recolour it, move its cursor, retitle it or ring its bell.
/// <list type="bullet">
/// <item>C0 and DEL as <c>\x1b</c>; C1 as <c>\u009b</c> (a terminal reads U+009B as ESC [); a bare CR as <c>\r</c>.</item>
/// <item>CRLF becomes LF: Windows line ends are line ends, not controls.</item>
/// <item>Backslashes stay as they are: the escapes are for reading, and escaping twice changes nothing.</item>
/// </list>
/// Raw bytes belong only in files the server writes for the user, never in what it sends.
/// </summary>
internal static class ClientText
{
    private static readonly SearchValues<char> Controls = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Where(c => c is not ('\n' or '\t')).Select(c => (char)c)) +
        string.Concat(Enumerable.Range(0x7f, 0x21).Select(c => (char)c)));

    /// <summary>The text with every control escaped; the same instance when there is none (the common case costs one scan).</summary>
    public static string Escape(string text)
    {
        var first = text.AsSpan().IndexOfAny(Controls);
        if (first < 0)
            return text;
        var escaped = new StringBuilder(text.Length + 16).Append(text.AsSpan(0, first));
        Append(escaped, text.AsSpan(first));
        return escaped.ToString();
    }

    public static string? EscapeOrNull(string? text) => text is null ? null : Escape(text);

    /// <summary>Appends <paramref name="text"/> escaped.</summary>
    public static void Append(StringBuilder target, ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            var at = text.IndexOfAny(Controls);
            if (at < 0)
            {
                target.Append(text);
                return;
            }
            target.Append(text[..at]);
            var control = text[at];
            if (control == '\r')
            {
                if (at + 1 >= text.Length || text[at + 1] != '\n')
                    target.Append(@"\r"); // a bare CR: in a terminal it overwrites the line from its start
            }
            else if (control < '\u0080')
                target.Append(@"\x").Append(((int)control).ToString("x2", CultureInfo.InvariantCulture));
            else
                target.Append(@"\u").Append(((int)control).ToString("x4", CultureInfo.InvariantCulture));
            text = text[(at + 1)..];
        }
    }
}
