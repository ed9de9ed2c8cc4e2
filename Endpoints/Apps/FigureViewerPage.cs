using System.Text;

namespace MatlabMcp.Endpoints.Apps;

/// <summary>
/// The figure viewer's HTML as a host receives it: wwwroot/figure-viewer.html with every
/// <c>&lt;script data-inline="vendor/…"&gt;&lt;/script&gt;</c> replaced by that vendored file's text. A host renders the page in a
/// sandboxed iframe that may load nothing from our server or anywhere else, so the page must carry all its code.
/// </summary>
internal static class FigureViewerPage
{
    public const string FileName = "figure-viewer.html";
    private const string InlineOpen = "<script data-inline=\"";
    private const string InlineClose = "\"></script>";

    /// <summary>The wwwroot folder copied next to the server binary (JIT build, AOT publish and tests alike).</summary>
    public static string DefaultWebRoot => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    /// <summary>Builds the page from <paramref name="webRoot"/>; throws with the missing file's path when one is absent.</summary>
    public static string Build(string webRoot)
    {
        var template = ReadRequired(Path.Combine(webRoot, FileName));
        var page = new StringBuilder(template.Length + 5_000_000);
        var at = 0;
        while (true)
        {
            var open = template.IndexOf(InlineOpen, at, StringComparison.Ordinal);
            if (open < 0)
                break;
            var nameStart = open + InlineOpen.Length;
            var close = template.IndexOf(InlineClose, nameStart, StringComparison.Ordinal);
            if (close < 0)
                throw new InvalidDataException($"{FileName}: unterminated data-inline script at offset {open}.");
            var name = template[nameStart..close];
            page.Append(template, at, open - at).Append("<script>").Append(ReadVendored(webRoot, name)).Append("</script>");
            at = close + InlineClose.Length;
        }
        return page.Append(template, at, template.Length - at).ToString();
    }

    /// <summary>A vendored script by its name under wwwroot/vendor/, refused if it could end its inline script element.</summary>
    private static string ReadVendored(string webRoot, string name)
    {
        // The names come from our own template, but a path that leaves vendor/ is a broken template, not a file to read.
        if (!name.StartsWith("vendor/", StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal) ||
            name.Contains('\\', StringComparison.Ordinal))
            throw new InvalidDataException($"{FileName}: data-inline must name a file under vendor/, not '{name}'.");
        var text = ReadRequired(Path.Combine(webRoot, name));
        if (text.Contains("</script", StringComparison.OrdinalIgnoreCase) || text.Contains("<script", StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"wwwroot/{name} contains a <script> tag and cannot be inlined (see scripts/vendor-web.sh).");
        return text;
    }

    private static string ReadRequired(string path) =>
        File.Exists(path)
            ? File.ReadAllText(path, Encoding.UTF8)
            : throw new FileNotFoundException($"The figure viewer needs {path}; it is copied next to the server from wwwroot/ at build time.", path);
}
