using System.Text;
using System.Text.Json;
using System.Xml;

namespace MatlabMcp.Output.Files;

/// <summary>
/// .json, .yaml and .xml shown within the budget: JSON and XML re-indented when they parse (so a one-line file
/// becomes readable), YAML as it is. A file too large to parse whole, or that does not parse, is shown as text.
/// </summary>
internal static class StructuredText
{
    /// <summary>Largest file parsed to be re-indented; larger ones are shown as their first characters.</summary>
    public const long MaxParseBytes = 8L << 20;

    public static async Task<string> ShowAsync(Stream stream, long bytes, string path, string extension, int budget,
        CancellationToken cancellationToken)
    {
        string? pretty = null, note = null;
        if (bytes <= MaxParseBytes && extension is ".json" or ".xml")
        {
            var raw = new byte[bytes];
            await stream.ReadExactlyAsync(raw, cancellationToken);
            (pretty, note) = extension == ".json" ? Json(raw) : Xml(raw);
            if (pretty is null)
                stream.Position = 0;
        }
        else if (bytes > MaxParseBytes)
            note = $"larger than {MaxParseBytes >> 20} MB: shown as text, not re-indented";
        var header = $"'{path}' ({bytes:N0} bytes{(note is null ? "" : "; " + note)})\n";
        if (pretty is not null)
        {
            var (cut, truncated) = TextBudget.Cut(ClientText.Escape(pretty), budget);
            return header + cut + (truncated ? $"\n[re-indented text cut to {budget:N0} characters: read_file with offset/length or pattern= for the rest]" : "");
        }
        return header + await TextFile.RangeAsync(stream, bytes, path, 0, null, budget, cancellationToken);
    }

    private static (string?, string?) Json(byte[] raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw, new JsonDocumentOptions { MaxDepth = 256, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            using var output = new MemoryStream();
            using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                document.WriteTo(writer);
            return (Encoding.UTF8.GetString(output.ToArray()), $"JSON, top level {Describe(document.RootElement)}");
        }
        catch (JsonException e)
        {
            return (null, $"not valid JSON ({e.Message}): shown as text");
        }
    }

    private static string Describe(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Array => $"an array of {root.GetArrayLength():N0}",
        JsonValueKind.Object => $"an object with {root.EnumerateObject().Count():N0} keys",
        var kind => kind.ToString().ToLowerInvariant(),
    };

    private static (string?, string?) Xml(byte[] raw)
    {
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true };
            using var reader = XmlReader.Create(new MemoryStream(raw), settings);
            var output = new StringBuilder();
            using (var writer = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false }))
                writer.WriteNode(reader, defattr: true);
            return (output.ToString(), "XML");
        }
        catch (XmlException e)
        {
            return (null, $"not parsed as XML ({e.Message}): shown as text");
        }
    }
}
