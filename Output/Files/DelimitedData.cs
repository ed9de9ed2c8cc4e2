using System.Text;

namespace MatlabMcp.Output.Files;

/// <summary>
/// A .csv or .tsv file summarised: header, size (rows × columns) and the first rows. Quoted fields (RFC 4180: a quote
/// doubled inside quotes, separators and line breaks within) are understood; every row is counted, none is kept past
/// the first few.
/// </summary>
internal static class DelimitedData
{
    public const int PreviewRows = 10;
    public const int MaxCellChars = 60;

    public static async Task<string> SummariseAsync(Stream stream, string path, char separator, int budget, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        List<string>? header = null;
        var preview = new List<List<string>>();
        long rows = 0;
        var columns = 0;
        var ragged = false;
        await foreach (var row in RowsAsync(reader, separator, cancellationToken))
        {
            if (row.Count == 1 && row[0].Length == 0)
                continue; // a blank line
            if (header is null)
            {
                header = row;
                columns = row.Count;
                continue;
            }
            rows++;
            ragged |= row.Count != columns;
            if (preview.Count < PreviewRows)
                preview.Add(row);
        }
        if (header is null)
            return $"'{path}' is empty.";
        var text = new StringBuilder()
            .AppendLine($"'{path}': {rows:N0} rows × {columns} columns (after a header line){(ragged ? "; some rows have a different number of fields" : "")}")
            .AppendLine("header: " + string.Join(" | ", header.Select(Cell)));
        if (preview.Count > 0)
            text.AppendLine($"first {preview.Count} rows:");
        foreach (var row in preview)
            text.AppendLine(string.Join(" | ", row.Select(Cell)));
        if (rows > preview.Count)
            text.Append($"[{rows - preview.Count:N0} more rows: read_file with pattern= finds lines; load it in code (readtable/csvread/dlmread) to compute]");
        return TextBudget.Cut(ClientText.Escape(text.ToString().TrimEnd()), budget).Text;
    }

    private static string Cell(string value) => value.Length <= MaxCellChars ? value : value[..MaxCellChars] + "…";

    /// <summary>Rows of fields; a field longer than the cell limit is kept only to that limit.</summary>
    private static async IAsyncEnumerable<List<string>> RowsAsync(StreamReader reader, char separator,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var buffer = new char[64 * 1024];
        int read;
        var pendingQuote = false; // a quote seen inside quotes: either the end or the first of a doubled pair
        var sawCr = false;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (pendingQuote)
                {
                    pendingQuote = false;
                    if (c == '"')
                    {
                        Add(field, c);
                        continue;
                    }
                    quoted = false;
                }
                if (quoted)
                {
                    if (c == '"')
                        pendingQuote = true;
                    else
                        Add(field, c);
                    continue;
                }
                if (sawCr && c == '\n')
                {
                    sawCr = false;
                    continue;
                }
                sawCr = c == '\r';
                if (c == '"' && field.Length == 0)
                    quoted = true;
                else if (c == separator)
                {
                    row.Add(field.ToString());
                    field.Clear();
                }
                else if (c is '\n' or '\r')
                {
                    row.Add(field.ToString());
                    field.Clear();
                    yield return row;
                    row = [];
                }
                else
                    Add(field, c);
            }
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            yield return row;
        }
    }

    private static void Add(StringBuilder field, char c)
    {
        if (field.Length <= MaxCellChars)
            field.Append(c);
    }
}
