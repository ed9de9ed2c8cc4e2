using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Browser;

/// <summary>The vendored plotly.js draws the figure kinds Octave figures convert to, in Chromium, under a host's default CSP.</summary>
[ClassDataSource<HeadlessBrowser>(Shared = SharedType.PerTestSession)]
public sealed class PlotlyRenderTests(HeadlessBrowser browser)
{
    [Test]
    [Arguments("line", SampleFigures.Line, 1)]
    [Arguments("scatter", SampleFigures.Scatter, 2)]
    [Arguments("heatmap", SampleFigures.Heatmap, 1)]
    [Arguments("subplots", SampleFigures.Subplots, 2)]
    public async Task TwoDimensionalFigure_DrawsEveryTraceInSvg_WithoutErrorsOrRequests(string name, string figure, int traces)
    {
        var run = await browser.RenderPlotlyAsync(figure, HeadlessBrowser.Screenshot($"plotly-{name}"));

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
    public async Task ScatterGl_IsRefusedUnderTheHostCsp_SoConvertersEmitScatter()
    {
        // Hosts allow no 'unsafe-eval'; plotly's regl traces compile code with Function. Documents why a converter
        // must emit "scatter": if this starts drawing, the constraint in docs/mcp-apps.md can go.
        var run = await browser.RenderPlotlyAsync("""{"data":[{"type":"scattergl","mode":"markers","x":[1,2,3],"y":[3,1,2]}],"layout":{}}""",
            HeadlessBrowser.Screenshot("plotly-scattergl"));

        await Assert.That(run.ExternalRequests).IsEmpty();
        await Assert.That(run.Errors.Any(e => e.Contains("unsafe-eval", StringComparison.OrdinalIgnoreCase) ||
                                              e.Contains("EvalError", StringComparison.Ordinal))).IsTrue()
            .Because($"errors: {string.Join(" | ", run.Errors)}; state {run.State}");
    }
}
