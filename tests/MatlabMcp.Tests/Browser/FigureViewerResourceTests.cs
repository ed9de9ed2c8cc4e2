using System.Text.Json;
using System.Text.RegularExpressions;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Browser;

/// <summary>The built server over stdio, read by the C# SDK client as an MCP Apps host reads it; then the page it serves, drawn.</summary>
[ClassDataSource<HeadlessBrowser>(Shared = SharedType.PerTestSession)]
public sealed partial class FigureViewerResourceTests(HeadlessBrowser browser) : IAsyncDisposable
{
    private const string ViewerUri = "ui://matlab-mcp/figure-viewer";
    private const string AppMime = "text/html;profile=mcp-app";
    private McpClient _client = null!;

    [Before(Test)]
    public async Task ConnectAsync() => _client = await ServerProcess.ConnectStdioAsync();

    public async ValueTask DisposeAsync() => await _client.DisposeAsync();

    [Test]
    public async Task ResourcesList_ListsTheViewer_WithTheMcpAppMimeType_AndAskingForABorder()
    {
        var resources = await _client.ListResourcesAsync();

        var viewer = await Assert.That(resources).HasSingleItem(r => r.Uri == ViewerUri);
        await Assert.That(viewer.MimeType).IsEqualTo(AppMime);
        await Assert.That(viewer.ProtocolResource.Meta!["ui"]!["prefersBorder"]!.GetValue<bool>()).IsTrue();
        // No csp key: the host's restrictive default applies, which allows nothing from elsewhere.
        await Assert.That(viewer.ProtocolResource.Meta["ui"]!.AsObject().ContainsKey("csp")).IsFalse();
    }

    [Test]
    public async Task ResourcesRead_ReturnsOneSelfContainedHtmlPage()
    {
        var read = await _client.ReadResourceAsync(ViewerUri);

        var content = await Assert.That(read.Contents).HasSingleItem();
        var text = (TextResourceContents)content!;
        await Assert.That(text.Uri).IsEqualTo(ViewerUri);
        await Assert.That(text.MimeType).IsEqualTo(AppMime);
        // Booleans and the page without plotly.js, not the page itself: a failure would print 4.8 MB.
        var plotly = await File.ReadAllTextAsync(Path.Combine(HeadlessBrowser.WebRoot, "vendor", "plotly.min.js"));
        await Assert.That(text.Text.Contains("<script>" + plotly + "</script>", StringComparison.Ordinal)).IsTrue();
        var ours = text.Text.Replace(plotly, "", StringComparison.Ordinal);
        await Assert.That(ours).StartsWith("<!DOCTYPE html>");
        await Assert.That(ours).DoesNotContain("data-inline");
        // Outside the vendored library (whose licence banners and map-tile defaults name sites) the page names no URL.
        await Assert.That(Url().Matches(ours).Select(m => m.Value)).IsEmpty();
        await Assert.That(text.Meta!["ui"]!["prefersBorder"]!.GetValue<bool>()).IsTrue();
    }

    [Test]
    public async Task ToolsList_ExecuteCodeLinksTheViewer_InBothKeysHostsRead_AndNoOtherToolDoes()
    {
        var tools = await _client.ListToolsAsync();

        var execute = await Assert.That(tools).HasSingleItem(t => t.Name == "execute_code");
        var meta = execute.ProtocolTool.Meta!;
        await Assert.That(meta["ui"]!["resourceUri"]!.GetValue<string>()).IsEqualTo(ViewerUri);
        await Assert.That(meta["ui/resourceUri"]!.GetValue<string>()).IsEqualTo(ViewerUri);
        await Assert.That(tools.Where(t => t.Name != "execute_code" && t.ProtocolTool.Meta?.ContainsKey("ui") == true)).IsEmpty();
    }

    [Test]
    public async Task Initialize_AdvertisesTheUiExtension()
    {
        var extensions = _client.ServerCapabilities.Extensions;

        await Assert.That(extensions).IsNotNull();
        await Assert.That(extensions!.ContainsKey("io.modelcontextprotocol/ui")).IsTrue();
    }

    [Test]
    public async Task ServedPage_DrawsAToolResult_InASandboxedFrame()
    {
        var read = await _client.ReadResourceAsync(ViewerUri);
        var html = ((TextResourceContents)read.Contents[0]).Text;
        var result = HeadlessBrowser.ToolResult(HeadlessBrowser.PlotlyBlock("figure1", SampleFigures.Line),
            HeadlessBrowser.PlotlyBlock("figure2", SampleFigures.Heatmap));

        var run = await browser.RenderViewerAsync(result, HeadlessBrowser.Screenshot("served-viewer"), html);

        await Assert.That(run.Errors).IsEmpty();
        await Assert.That(run.ExternalRequests).IsEmpty();
        await Assert.That(run.Plots).IsEqualTo(2);
        await Assert.That(run.State).IsEqualTo("rendered");
    }

    [GeneratedRegex(@"\bhttps?://", RegexOptions.IgnoreCase)]
    private static partial Regex Url();
}
