using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Browser;

/// <summary>
/// The figure viewer (wwwroot/figure-viewer.html with plotly.js inlined, as served) in a sandboxed iframe under the host CSP,
/// handed an execute_code result over the MCP Apps postMessage protocol as a host hands it.
/// </summary>
[ClassDataSource<HeadlessBrowser>(Shared = SharedType.PerTestSession)]
// Once in a loaded clean-clone run the host frame never reached the view's final height and the wait hung for its
// 120 s (SecondResult_ReplacesTheFirst); cause not found yet (see the issue-13 note). A second try, not a weaker check.
[Retry(1)]
public sealed class FigureViewerTests(HeadlessBrowser browser)
{
    [Test]
    public async Task PlotlyResult_DrawsEveryFigure_AfterTheHandshake()
    {
        var result = HeadlessBrowser.ToolResult(HeadlessBrowser.TextBlock("ans = 3"),
            HeadlessBrowser.PlotlyBlock("figure1", SampleFigures.Line),
            HeadlessBrowser.PlotlyBlock("figure2", SampleFigures.Surface),
            HeadlessBrowser.PlotlyBlock("figure3", SampleFigures.Subplots));

        var run = await browser.RenderViewerAsync(result, HeadlessBrowser.Screenshot("viewer-plotly"));

        await Assert.That(run.Errors).IsEmpty();
        await Assert.That(run.ExternalRequests).IsEmpty();
        await Assert.That(run.State).IsEqualTo("rendered");
        await Assert.That(run.Plots).IsEqualTo(3);
        await Assert.That(run.Traces).IsEqualTo(4);
        await Assert.That(run.Images).IsEqualTo(0);
        await Assert.That(run.Status).IsEqualTo("3 figures.");
        // The view speaks first (ui/initialize), confirms with initialized, and asks to be sized to its figures.
        await Assert.That(run.HostLog[0]).IsEqualTo("ui/initialize");
        await Assert.That(run.HostLog).Contains("ui/notifications/initialized");
        await Assert.That(run.HostLog).Contains("ui/notifications/size-changed");
    }

    [Test]
    public async Task AScatterGlSeries_IsDrawn_AsSvgScatter_UnderTheHostCsp()
    {
        // The converter writes scattergl for long series (fast elsewhere); under a host's CSP WebGL traces draw nothing.
        var result = HeadlessBrowser.ToolResult(HeadlessBrowser.PlotlyBlock("figure1",
            """{"data":[{"type":"scattergl","mode":"lines","x":[1,2,3,4],"y":[3,1,2,5]}],"layout":{}}"""));

        var run = await browser.RenderViewerAsync(result, HeadlessBrowser.Screenshot("viewer-scattergl"));

        await Assert.That(run.Errors).IsEmpty();
        await Assert.That(run.State).IsEqualTo("rendered");
        await Assert.That(run.Plots).IsEqualTo(1);
        await Assert.That(run.Traces).IsEqualTo(1);
    }

    [Test]
    public async Task PngOnlyResult_ShowsTheImages_WithTheFigureFormatHint()
    {
        var png = await PngAsync();
        var result = HeadlessBrowser.ToolResult(HeadlessBrowser.TextBlock("done"), HeadlessBrowser.ImageBlock(png),
            HeadlessBrowser.ImageBlock(png));

        var run = await browser.RenderViewerAsync(result, HeadlessBrowser.Screenshot("viewer-png"));

        await Assert.That(run.Errors).IsEmpty();
        await Assert.That(run.ExternalRequests).IsEmpty();
        await Assert.That(run.State).IsEqualTo("rendered");
        await Assert.That(run.Images).IsEqualTo(2);
        await Assert.That(run.Plots).IsEqualTo(0);
        await Assert.That(run.Hint).Contains("figure_format: \"plotly\"");
    }

    [Test]
    public async Task ResultWithPlotlyAndPng_DrawsThePlotlyFigures_NotTheImages()
    {
        var result = HeadlessBrowser.ToolResult(HeadlessBrowser.PlotlyBlock("figure1", SampleFigures.Heatmap),
            HeadlessBrowser.ImageBlock(await PngAsync()));

        var run = await browser.RenderViewerAsync(result, HeadlessBrowser.Screenshot("viewer-both"));

        await Assert.That(run.Errors).IsEmpty();
        await Assert.That(run.Plots).IsEqualTo(1);
        await Assert.That(run.Images).IsEqualTo(0);
        await Assert.That(run.Hint).IsEmpty();
    }

    [Test]
    public async Task ResultWithoutFigures_SaysSo()
    {
        var run = await browser.RenderViewerAsync(HeadlessBrowser.ToolResult(HeadlessBrowser.TextBlock("x = 1")),
            HeadlessBrowser.Screenshot("viewer-empty"));

        await Assert.That(run.Errors).IsEmpty();
        await Assert.That(run.State).IsEqualTo("empty");
        await Assert.That(run.Status).StartsWith("This result has no figures.");
    }

    [Test]
    public async Task BrokenFigure_IsNamed_AndTheOthersAreStillDrawn()
    {
        var result = HeadlessBrowser.ToolResult(HeadlessBrowser.PlotlyBlock("figure1", "{\"data\": [oops"),
            HeadlessBrowser.PlotlyBlock("figure2", SampleFigures.Scatter));

        var run = await browser.RenderViewerAsync(result, HeadlessBrowser.Screenshot("viewer-broken"));

        await Assert.That(run.State).IsEqualTo("failed");
        await Assert.That(run.Plots).IsEqualTo(1);
        await Assert.That(run.Traces).IsEqualTo(2);
        await Assert.That(run.Status).IsEqualTo("1 figure, 1 not drawn.");
        await Assert.That(run.ExternalRequests).IsEmpty();
    }

    [Test]
    public async Task SecondResult_ReplacesTheFirst()
    {
        var first = HeadlessBrowser.ToolResult(HeadlessBrowser.PlotlyBlock("figure1", SampleFigures.Surface),
            HeadlessBrowser.PlotlyBlock("figure2", SampleFigures.Line), HeadlessBrowser.PlotlyBlock("figure3", SampleFigures.Scatter));
        var second = HeadlessBrowser.ToolResult(HeadlessBrowser.ImageBlock(await PngAsync()));

        var run = await browser.RenderViewerAsync([first, second], HeadlessBrowser.Screenshot("viewer-replaced"));

        await Assert.That(run.Errors).IsEmpty();
        await Assert.That(run.State).IsEqualTo("rendered");
        await Assert.That(run.Images).IsEqualTo(1);
        await Assert.That(run.Plots).IsEqualTo(0);
        await Assert.That(run.Status).IsEqualTo("1 figure.");
    }

    /// <summary>A real PNG of a chart: Chromium's screenshot of the line figure.</summary>
    private async Task<byte[]> PngAsync()
    {
        var shot = await browser.RenderPlotlyAsync(SampleFigures.Line, HeadlessBrowser.Screenshot("viewer-png-source"));
        return await File.ReadAllBytesAsync(shot.ScreenshotPath);
    }
}
