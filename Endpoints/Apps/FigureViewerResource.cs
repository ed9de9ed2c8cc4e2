using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints.Apps;

/// <summary>
/// <c>ui://matlab-mcp/figure-viewer</c>, the MCP Apps view execute_code links (docs/mcp-apps.md): a self-contained HTML page
/// that draws a result's Plotly figures, or its PNG images. A host reads it once to render it in an iframe; the page is
/// about 4.9 MB (plotly.js inlined) and never meant for a model, so it is built on the first read and then kept.
/// </summary>
internal sealed class FigureViewerResource(string webRoot) : McpServerResource
{
    public const string Uri = "ui://matlab-mcp/figure-viewer";

    /// <summary>The MCP Apps HTML profile; hosts render a ui:// resource only with this type.</summary>
    public const string MimeType = "text/html;profile=mcp-app";

    private readonly Lazy<string> _html = new(() => FigureViewerPage.Build(webRoot), LazyThreadSafetyMode.ExecutionAndPublication);

    public FigureViewerResource() : this(FigureViewerPage.DefaultWebRoot)
    {
    }

    public override Resource ProtocolResource { get; } = new()
    {
        Uri = Uri,
        Name = "figure-viewer",
        Title = "MATLAB/Octave figure viewer",
        // Says who it is for: an agent listing resources should not read 5 MB of HTML into its context.
        Description = "MCP Apps view of execute_code figures, for hosts to render (about 5 MB of HTML with plotly.js). " +
                      "Not useful to read as text.",
        MimeType = MimeType,
        Meta = UiMeta(),
    };

    public override ResourceTemplate ProtocolResourceTemplate => field ??= new()
    {
        UriTemplate = Uri,
        Name = ProtocolResource.Name,
        Title = ProtocolResource.Title,
        Description = ProtocolResource.Description,
        MimeType = MimeType,
        Meta = UiMeta(),
    };

    public override IReadOnlyList<object> Metadata => [];

    public override bool IsMatch(string uri) => string.Equals(uri, Uri, StringComparison.Ordinal);

    public override ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request,
        CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new ReadResourceResult
        {
            Contents = [new TextResourceContents { Uri = Uri, MimeType = MimeType, Text = _html.Value, Meta = UiMeta() }],
        });

    /// <summary>
    /// <c>_meta.ui</c> for the listing and the content (hosts prefer the content's): no csp key, so the host applies the
    /// spec's restrictive default (inline script and data: images, no network), which is all the page needs.
    /// </summary>
    private static JsonObject UiMeta() => new() { ["ui"] = new JsonObject { ["prefersBorder"] = true } };
}
