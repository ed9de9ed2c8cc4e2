namespace MatlabMcp.Output;

/// <summary>
/// The one rule for cutting long text: every result, status and live view keeps the head and the tail, cut at line
/// boundaries, with a marker in place of the cut that says exactly how much was left out and where the full text is.
/// </summary>
internal static class TextBudget
{
    /// <summary>
    /// Keeps at most the first two thirds and the last third of <paramref name="maxChars"/> of the text
    /// <c>head + (omittedChars characters holding omittedLines line breaks) + tail</c>, cut at line breaks (a line longer
    /// than its share is cut inside itself): the start sets context, the end shows where it got to. The marker stands where
    /// the cut is and names <paramref name="file"/> (relative to the session folder) when the full text is kept there.
    /// </summary>
    public static (string Text, bool Truncated) Cut(string head, long omittedChars, long omittedLines, string tail, int maxChars,
        string? file = null, bool fileCut = false, bool tailAtLineStart = false)
    {
        if (omittedChars == 0)
        {
            head += tail;
            tail = "";
            if (head.Length <= maxChars)
                return (head, false);
        }
        // Head: up to two thirds of the budget, back to its last line break.
        var headChars = LineEndBefore(head, Math.Min(head.Length, maxChars * 2 / 3));
        string rest;
        long left, lines;
        bool restAtLineStart;
        if (omittedChars == 0)
        {
            (rest, left, lines) = (head[headChars..], 0, 0);
            restAtLineStart = headChars == 0 || head[headChars - 1] == '\n';
        }
        else
        {
            var dropped = head.AsSpan(headChars); // what the head gives up joins the cut
            (rest, left, lines, restAtLineStart) = (tail, omittedChars + dropped.Length, omittedLines + dropped.Count('\n'), tailAtLineStart);
        }
        // Tail: what is left of the budget, from the end, forward to the start of a line.
        var tailStart = LineStartAfter(rest, Math.Max(0, rest.Length - (maxChars - headChars)), restAtLineStart);
        left += tailStart;
        lines += rest.AsSpan(0, tailStart).Count('\n');
        var kept = head[..headChars];
        var separator = kept.Length == 0 || kept[^1] == '\n' ? "" : "\n"; // a line cut inside itself: the marker gets its own line
        return ($"{kept}{separator}{Marker(left, lines, file, fileCut)}\n{rest[tailStart..]}", true);
    }

    /// <summary>Keeps the head and the tail of long text, at line boundaries, with the marker in place of the cut.</summary>
    public static (string Text, bool Truncated) Cut(string text, int maxChars) => Cut(text, 0, 0, "", maxChars);

    /// <summary>What stands where text was cut: how much, and where the whole of it is (or that it is nowhere).</summary>
    public static string Marker(long chars, long lines, string? file, bool fileCut)
    {
        var what = $"[... {chars:N0} characters ({lines:N0} line breaks) left out here";
        return file is null ? what + " ...]"
            : fileCut ? $"{what}; the output file {file} holds its start (output.max_spill_mb) ...]"
            : $"{what}; the full text is in {file} ...]";
    }

    /// <summary>The last <paramref name="chars"/> characters of <paramref name="text"/>, from the start of a line when one starts there.</summary>
    public static string Tail(string text, int chars) =>
        text.Length <= chars ? text : text[LineStartAfter(text, text.Length - chars, atLineStart: false)..];

    /// <summary>
    /// Just after the last line break in text[..limit] (text goes on after it: the rest of the text, or the cut); limit itself
    /// when there is none (never inside a surrogate pair).
    /// </summary>
    private static int LineEndBefore(string text, int limit)
    {
        var newline = limit == 0 ? -1 : text.LastIndexOf('\n', limit - 1, limit);
        if (newline >= 0)
            return newline + 1;
        return limit > 0 && char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit;
    }

    /// <summary>
    /// The start of the first whole line at or after <paramref name="start"/> (<paramref name="atLineStart"/>: whether
    /// position 0 starts a line); start itself when no line starts after it (never inside a surrogate pair).
    /// </summary>
    private static int LineStartAfter(string text, int start, bool atLineStart)
    {
        if (start >= text.Length || (start == 0 ? atLineStart : text[start - 1] == '\n'))
            return start;
        var newline = text.IndexOf('\n', start);
        if (newline >= 0 && newline + 1 < text.Length)
            return newline + 1;
        return char.IsLowSurrogate(text[start]) ? start + 1 : start;
    }
}
