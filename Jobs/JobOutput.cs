using System.Text;
using MatlabMcp.Output;
using MatlabMcp.Pool;

namespace MatlabMcp.Jobs;

/// <summary>A stretch of a job's full output: characters [Offset, Offset + Text.Length) of Total.</summary>
internal sealed record OutputWindow(string Text, long Offset, long Total);

/// <summary>
/// A job's full printed output, read from a position: from its spill file when the output outgrew the budget (the file
/// holds all of it, or its start when output.max_spill_mb cut it), else from what the job kept, which is then all of it.
/// Only ever for the owner's own job record, so another identity's output is unreachable here.
/// </summary>
internal sealed class JobOutput(SessionRegistry sessions)
{
    /// <summary>The window, or why there is none (the full text is gone, or was never kept).</summary>
    public (OutputWindow? Window, string? Problem) Read(JobRecord record, Job? live, long offset, int maxChars)
    {
        var file = live?.Output.Spill is { Opened: true } spill ? spill.RelativePath : record.Result?.OutputFile?.Path;
        if (file is not null)
        {
            using var stream = OutputSpill.OpenRead(sessions.FolderOf(record.Owner, record.Session), file);
            if (stream is null)
                return (null, $"The full output of job {record.Id} was in {file} in session '{record.Session}', which is gone " +
                    "(the session was closed or expired, or the server restarted). Only the cut output in its result remains.");
            return (Window(stream, offset, maxChars), null);
        }
        string text;
        if (live is not null && !live.Output.Truncated)
            text = live.Output.Text;
        else if (record.Result is { OutputTruncated: false } result)
            text = result.Output;
        else if (record.Result is null && live is null)
            text = "";
        else
            return (null, $"The full output of job {record.Id} was not kept (no output file could be written); only the cut output in its result remains.");
        var start = (int)Math.Min(offset, text.Length);
        return (new OutputWindow(text.Substring(start, Math.Min(maxChars, text.Length - start)), offset, text.Length), null);
    }

    /// <summary>Decodes the file from its start (character offsets need it), keeping only the window; counts the rest.</summary>
    private static OutputWindow Window(Stream stream, long offset, int maxChars)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
        var buffer = new char[64 * 1024];
        var window = new StringBuilder();
        long position = 0;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            var from = Math.Max(offset - position, 0);
            var take = Math.Min(read - from, maxChars - window.Length);
            if (from < read && take > 0)
                window.Append(buffer, (int)from, (int)take);
            position += read;
        }
        return new OutputWindow(window.ToString(), offset, position);
    }
}
