using System.Text;
using System.Text.RegularExpressions;

namespace MatlabMcp.Output.Files;

/// <summary>
/// Reading session text files within a character budget: a range (offset, length) or the lines matching a pattern.
/// Streams the file, so a large spilled output costs memory only for what is returned. Every cut ends with a marker
/// saying what was left and how to get it.
/// </summary>
internal static class TextFile
{
    /// <summary>Bytes inspected to tell text from binary.</summary>
    public const int SniffBytes = 8192;

    /// <summary>Longest part of one matching line shown.</summary>
    public const int MaxLineChars = 500;

    /// <summary>Time one regular-expression match may take before the search is abandoned.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Most matching lines returned, whatever the budget.</summary>
    public const int MaxMatches = 500;

    /// <summary>Whether the start of a file looks like text: no NUL byte and valid UTF-8 (a cut last character is fine).</summary>
    public static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        if (head.Contains((byte)0))
            return false;
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        try
        {
            Span<char> chars = stackalloc char[1024];
            while (!head.IsEmpty)
            {
                decoder.Convert(head, chars, flush: false, out var used, out _, out _);
                head = head[used..];
            }
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Characters [offset, offset + length) of the text, at most <paramref name="budget"/> of them, with a marker for the rest.</summary>
    public static async Task<string> RangeAsync(Stream stream, long fileBytes, string path, long offset, int? length, int budget,
        CancellationToken cancellationToken)
    {
        var want = Math.Min(length is > 0 ? length.Value : budget, budget);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var buffer = new char[64 * 1024];
        long position = 0;
        var text = new StringBuilder(Math.Min(want, 64 * 1024));
        while (true)
        {
            var read = await reader.ReadAsync(buffer, cancellationToken);
            if (read == 0)
                break;
            var start = (int)Math.Clamp(offset - position, 0, read);
            var take = Math.Min(read - start, want - text.Length);
            if (take > 0)
                text.Append(buffer, start, take);
            position += read;
            if (text.Length >= want)
                break;
        }
        var end = offset + text.Length;
        // At the end when nothing was read past what is shown, and one more read finds nothing.
        var atEnd = position <= end && await reader.ReadAsync(buffer.AsMemory(0, 1), cancellationToken) == 0;
        var shown = ClientText.Escape(text.ToString());
        if (offset > 0 && text.Length == 0 && atEnd)
            return $"[nothing at offset {offset:N0}: the file '{path}' has {position:N0} characters]";
        if (atEnd && offset == 0)
            return shown;
        var marker = atEnd
            ? $"[characters {offset:N0}-{end:N0} of '{path}', its end]"
            : $"[characters {offset:N0}-{end:N0} of '{path}' shown ({fileBytes:N0} bytes in all); more follows: read_file with offset={end}" +
              (length is null ? "; or pattern= to find lines]" : "]");
        return offset > 0 ? $"[from character {offset:N0}]\n{shown}\n{marker}" : $"{shown}\n{marker}";
    }

    /// <summary>The lines matching <paramref name="pattern"/>, numbered, within the budget; how many more matched is counted.</summary>
    public static async Task<(string Text, string? Error)> MatchesAsync(Stream stream, string path, string pattern, int budget,
        CancellationToken cancellationToken)
    {
        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            return ("", $"The pattern is not a valid regular expression: {e.Message}");
        }
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var text = new StringBuilder();
        long lineNumber = 0, matched = 0, shown = 0;
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                lineNumber++;
                if (!regex.IsMatch(line))
                    continue;
                matched++;
                var entry = $"{lineNumber}: {ClientText.Escape(line.Length > MaxLineChars ? line[..MaxLineChars] + "…" : line)}\n";
                if (shown < MaxMatches && text.Length + entry.Length <= budget)
                {
                    text.Append(entry);
                    shown++;
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            return ("", $"The pattern took longer than {MatchTimeout.TotalSeconds:0} s on line {lineNumber:N0} and was abandoned " +
                $"({matched:N0} lines had matched). Use a simpler pattern (no nested repetition such as (a+)+).");
        }
        if (matched == 0)
            return ($"[no line of '{path}' ({lineNumber:N0} lines) matches /{pattern}/]", null);
        var marker = matched == shown
            ? $"[{matched:N0} of {lineNumber:N0} lines of '{path}' match /{pattern}/]"
            : $"[{shown:N0} of {matched:N0} matching lines shown ({lineNumber:N0} lines in '{path}'); narrow the pattern, or read_file with offset/length]";
        return (text.Append(marker).ToString(), null);
    }
}
