namespace MatlabMcp.Output;

/// <summary>The one rule for cutting long text: every result, status and live view keeps the head and the tail.</summary>
internal static class TextBudget
{
    /// <summary>
    /// Keeps the first two thirds and the last third of <paramref name="maxChars"/> of the text
    /// <c>head + (omitted characters) + tail</c>: the start sets context, the end shows where it got to.
    /// </summary>
    public static (string Text, bool Truncated) Cut(string head, long omitted, string tail, int maxChars)
    {
        if (omitted == 0)
        {
            head += tail;
            tail = "";
            if (head.Length <= maxChars)
                return (head, false);
        }
        var headChars = Math.Min(head.Length, maxChars * 2 / 3);
        var tailChars = Math.Min(tail.Length + head.Length - headChars, maxChars - headChars);
        var end = (head[headChars..] + tail)[^tailChars..];
        var left = head.Length + omitted + tail.Length - headChars - tailChars;
        return ($"{head[..headChars]}\n[... {left:N0} characters omitted ...]\n{end}", true);
    }

    /// <summary>Keeps the head and the tail of long text: the start sets context, the end shows where it got to.</summary>
    public static (string Text, bool Truncated) Cut(string text, int maxChars) => Cut(text, 0, "", maxChars);
}
