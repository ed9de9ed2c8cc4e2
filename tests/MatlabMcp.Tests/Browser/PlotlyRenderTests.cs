using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Browser;

/// <summary>The vendored plotly.js draws the figure kinds Octave figures convert to, in Chromium, under a host's default CSP.</summary>
[ClassDataSource<HeadlessBrowser>(Shared = SharedType.PerTestSession)]
public sealed class PlotlyRenderTests(HeadlessBrowser browser)
{
    [Test]
    [Arguments("line", 1)]
    [Arguments("scatter", 2)]
    [Arguments("heatmap", 1)]
    [Arguments("subplots", 2)]
    public async Task TwoDimensionalFigure_DrawsEveryTraceInSvg_WithoutErrorsOrRequests(string name, int traces)
    {
        var run = await browser.RenderPlotlyAsync(SampleFigures.ByName(name), HeadlessBrowser.Screenshot($"plotly-{name}"));

        await Assert.That(run.Errors).IsEmpty();
        await Assert.That(run.ExternalRequests).IsEmpty();
        await Assert.That(run.State).IsEqualTo("rendered");
        await Assert.That(run.Traces).IsEqualTo(traces);
        await Assert.That(run.HasSvg).IsTrue();
        await Assert.That(File.Exists(run.ScreenshotPath)).IsTrue();
    }

    [Test]
    public async Task Surface_DrawsOnAWebGlCanvas_WithoutErrorsOrRequests()
    {
        var run = await browser.RenderPlotlyAsync(SampleFigures.Surface, HeadlessBrowser.Screenshot("plotly-surface"));

        await Assert.That(run.Errors).IsEmpty();
        await Assert.That(run.ExternalRequests).IsEmpty();
        await Assert.That(run.State).IsEqualTo("rendered");
        await Assert.That(run.Traces).IsEqualTo(1);
        await Assert.That(run.HasCanvas).IsTrue();
    }

    [Test]
    public async Task InvalidFigureJson_IsReportedAsAFailure_NotAsADrawing()
    {
        // The rig itself must see failure, or every test above could pass on a page that drew nothing.
        var run = await browser.RenderPlotlyAsync("""{"data":[{"type":"scatter","x":[1,2]""", HeadlessBrowser.Screenshot("plotly-invalid"));

        await Assert.That(run.State).IsEqualTo("failed");
        await Assert.That(run.Errors).IsNotEmpty();
        await Assert.That(run.Traces).IsEqualTo(0);
    }

    [Test]
    public async Task ScatterGl_IsNotDrawnUnderTheHostCsp_AndTheRigSaysSo()
    {
        // Hosts allow no 'unsafe-eval', and plotly's regl traces (scattergl) compile code with Function: plotly then shows
        // a "WebGL is not supported" notice and logs nothing. The rig must report that as an error, and a figure
        // converter must emit "scatter". Without the CSP the same figure draws, so the CSP is the cause, not WebGL.
        const string figure = """{"data":[{"type":"scattergl","mode":"markers","x":[1,2,3],"y":[3,1,2]}],"layout":{}}""";

        var underCsp = await browser.RenderPlotlyAsync(figure, HeadlessBrowser.Screenshot("plotly-scattergl-host-csp"));
        var withoutCsp = await browser.RenderPlotlyAsync(figure, HeadlessBrowser.Screenshot("plotly-scattergl-no-csp"), hostCsp: false);

        await Assert.That(underCsp.Errors).Contains(e => e.Contains("WebGL", StringComparison.Ordinal));
        await Assert.That(withoutCsp.Errors).IsEmpty();
        await Assert.That(withoutCsp.HasCanvas).IsTrue();
    }
}
