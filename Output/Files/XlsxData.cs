using System.IO.Compression;
using System.Text;
using System.Xml;

namespace MatlabMcp.Output.Files;

/// <summary>
/// An .xlsx workbook summarised: its sheets, each one's size and first rows. Read directly from the package (a zip of
/// XML parts) with <see cref="ZipArchive"/> and <see cref="XmlReader"/>: no reflection (Native AOT), DTDs refused, and
/// every part bounded in size, so a zip bomb or an XML bomb is refused rather than expanded.
/// </summary>
internal static class XlsxData
{
    public const int PreviewRows = 5, PreviewColumns = 12, MaxSheets = 20;

    /// <summary>Largest uncompressed part read.</summary>
    public const long MaxPartBytes = 64L << 20;

    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static string Summarise(Stream stream, string path, int budget)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var targets = ReadRelations(zip);
            var sheets = ReadSheets(zip);
            var shared = ReadSharedStrings(zip);
            var text = new StringBuilder($"'{path}': {sheets.Count} sheet{(sheets.Count == 1 ? "" : "s")}");
            text.AppendLine(sheets.Count > MaxSheets ? $" (the first {MaxSheets} shown)" : "");
            foreach (var (name, id) in sheets.Take(MaxSheets))
            {
                var entry = targets.TryGetValue(id, out var target) ? zip.GetEntry(target) : null;
                if (entry is null)
                {
                    text.AppendLine($"sheet '{name}': (its part is missing)");
                    continue;
                }
                DescribeSheet(entry, name, shared, text);
            }
            return TextBudget.Cut(ClientText.Escape(text.ToString().TrimEnd()), budget).Text;
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or IOException)
        {
            return $"'{path}' could not be read as an .xlsx workbook: {e.Message}";
        }
    }

    private static void DescribeSheet(ZipArchiveEntry entry, string name, List<string> shared, StringBuilder text)
    {
        var preview = new SortedDictionary<int, SortedDictionary<int, string>>();
        int rows = 0, maxRow = 0, maxColumn = 0, cells = 0;
        using var reader = Open(entry);
        var (row, column, type, value) = (0, 0, "", (string?)null);
        var positioned = false; // ReadElementContentAsString already moved to the next node: do not skip it
        while (positioned || reader.Read())
        {
            positioned = false;
            if (reader.NodeType == XmlNodeType.Element && reader.NamespaceURI == Main)
                switch (reader.LocalName)
                {
                    case "row":
                        rows++;
                        row = int.TryParse(reader.GetAttribute("r"), out var r) ? r : maxRow + 1;
                        maxRow = Math.Max(maxRow, row);
                        column = 0;
                        break;
                    case "c":
                        column = reader.GetAttribute("r") is { } reference ? ColumnOf(reference) : column + 1;
                        type = reader.GetAttribute("t") ?? "n";
                        value = null;
                        if (reader.IsEmptyElement)
                            continue;
                        cells++;
                        maxColumn = Math.Max(maxColumn, column);
                        break;
                    case "v" or "t":
                        value = (value ?? "") + reader.ReadElementContentAsString();
                        positioned = true;
                        if (row <= maxRow && preview.Count <= PreviewRows && column <= PreviewColumns && value.Length > 0)
                            Keep(preview, row, column, Shown(type, value, shared));
                        break;
                }
        }
        text.AppendLine($"sheet '{name}': {rows:N0} rows with data, {maxRow:N0} × {maxColumn} (rows × columns) including blanks, {cells:N0} cells");
        foreach (var (r, columns) in preview.Take(PreviewRows))
            text.AppendLine($"  {r}: " + string.Join(" | ", Enumerable.Range(1, Math.Min(PreviewColumns, columns.Keys.Max()))
                .Select(c => columns.TryGetValue(c, out var v) ? v : "")));
    }

    private static void Keep(SortedDictionary<int, SortedDictionary<int, string>> preview, int row, int column, string value)
    {
        if (!preview.TryGetValue(row, out var columns))
        {
            if (preview.Count >= PreviewRows)
                return;
            preview[row] = columns = [];
        }
        columns[column] = value.Length <= DelimitedData.MaxCellChars ? value : value[..DelimitedData.MaxCellChars] + "…";
    }

    private static string Shown(string type, string value, List<string> shared) => type switch
    {
        "s" => int.TryParse(value, out var i) && i >= 0 && i < shared.Count ? shared[i] : $"(string #{value})",
        "b" => value == "1" ? "TRUE" : "FALSE",
        _ => value,
    };

    /// <summary>Column number of a cell reference: "A1" → 1, "AB7" → 28.</summary>
    public static int ColumnOf(string reference)
    {
        var column = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter(c))
                break;
            column = column * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
            if (column > 1 << 20)
                break;
        }
        return column;
    }

    private static List<(string Name, string Id)> ReadSheets(ZipArchive zip)
    {
        var sheets = new List<(string, string)>();
        using var reader = Open(zip.GetEntry("xl/workbook.xml") ?? throw new InvalidDataException("it has no xl/workbook.xml part"));
        while (reader.Read())
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet" && reader.NamespaceURI == Main)
                sheets.Add((reader.GetAttribute("name") ?? "?", reader.GetAttribute("id", Relations) ?? ""));
        return sheets;
    }

    /// <summary>Relationship id → part name in the package.</summary>
    private static Dictionary<string, string> ReadRelations(ZipArchive zip)
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (zip.GetEntry("xl/_rels/workbook.xml.rels") is not { } entry)
            return targets;
        using var reader = Open(entry);
        while (reader.Read())
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship"
                && reader.GetAttribute("Id") is { } id && reader.GetAttribute("Target") is { } target)
                targets[id] = target.StartsWith('/') ? target[1..] : "xl/" + target;
        return targets;
    }

    private static List<string> ReadSharedStrings(ZipArchive zip)
    {
        var strings = new List<string>();
        if (zip.GetEntry("xl/sharedStrings.xml") is not { } entry)
            return strings;
        using var reader = Open(entry);
        StringBuilder? current = null;
        var positioned = false;
        while (positioned || reader.Read())
        {
            positioned = false;
            if (reader.NamespaceURI != Main)
                continue;
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si")
            {
                current = new StringBuilder();
                if (reader.IsEmptyElement)
                {
                    strings.Add("");
                    current = null;
                }
            }
            else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "t" && current is not null)
            {
                var t = reader.ReadElementContentAsString();
                positioned = true;
                if (current.Length < DelimitedData.MaxCellChars * 2)
                    current.Append(t);
            }
            else if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "si" && current is not null)
            {
                strings.Add(current.ToString());
                current = null;
            }
        }
        return strings;
    }

    private static XmlReader Open(ZipArchiveEntry entry)
    {
        if (entry.Length > MaxPartBytes)
            throw new InvalidDataException($"its part {entry.FullName} expands to {entry.Length:N0} bytes (the limit is {MaxPartBytes:N0})");
        return XmlReader.Create(entry.Open(), new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxPartBytes,
            CloseInput = true,
            IgnoreWhitespace = true,
        });
    }
}
