using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Output;

/// <summary>
/// Each figure type as the bridge and converter make it from a real Octave plot, drawn by the vendored plotly.js in
/// headless Chromium under an MCP Apps host's CSP: every trace drawn, no console error, a screenshot kept
/// (artifacts/browser/octave-*.png).
/// </summary>
[ClassDataSource<PlotlyEngine>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(PlotlyBrowserTests))] // the cases take turns on the one engine
public sealed class PlotlyBrowserTests(PlotlyEngine engine)
{
    [ClassDataSource<HeadlessBrowser>(Shared = SharedType.PerTestSession)]
    public required HeadlessBrowser Browser { get; init; }

    [Test]
    [Arguments("line", "plot(1:5, [2 4 6 8 10], 'r--o'); hold on; plot(1:5, [1 1 2 3 5], 'k.'); legend('a', 'b'); title('T'); xlabel('x');")]
    [Arguments("scatter", "scatter([1 2 3 4], [3 1 2 4], [20 40 60 80], [1 2 3 4], 'filled'); colorbar;")]
    [Arguments("bar", "bar([1 2 3], [4 5 6; 1 2 3]'); set(gca, 'xticklabel', {'a', 'b', 'c'});")]
    [Arguments("hist", "hist(randn(1, 500), 20);")]
    [Arguments("area", "area([1 2 3]', [1 2; 3 4; 5 6]);")]
    [Arguments("stairs-stem", "stairs(1:4, [1 3 2 4]); hold on; stem(1:4, [2 1 3 1]);")]
    [Arguments("errorbar", "errorbar(1:3, [1 2 3], [0.1 0.2 0.3]);")]
    [Arguments("surf", "surf(peaks(20)); colorbar; title('peaks');")]
    [Arguments("mesh", "mesh(peaks(15));")]
    [Arguments("imagesc", "imagesc(magic(8)); colorbar;")]
    [Arguments("image-rgb", "image(uint8(cat(3, [255 0; 0 0], [0 255; 0 0], [0 0; 255 0])));")]
    [Arguments("contour", "contour(peaks(20)); hold on; text(10, 10, 'centre');")]
    [Arguments("contourf", "contourf(peaks(20)); colorbar;")]
    [Arguments("pcolor", "pcolor(magic(5));")]
    [Arguments("subplots", "subplot(2, 2, 1); plot(1:3); subplot(2, 2, 2); bar([5 6]); subplot(2, 2, 3); surf(magic(4)); subplot(2, 2, 4); semilogy([1 10 100]); set(gca, 'xdir', 'reverse');")]
    [Arguments("plot3", "plot3(sin(1:50), cos(1:50), 1:50, 'o-'); grid on;")]
    [Arguments("truncated", "plot(1:5000, cumsum(ones(1, 5000)));")]
    public async Task OctaveFigure_DrawsEveryTrace_WithoutErrors(string name, string code)
    {
        var (_, plotly) = await engine.PlotAsync(code, maxPoints: 900);

        var run = await Browser.RenderPlotlyAsync(plotly.GetRawText(), HeadlessBrowser.Screenshot($"octave-{name}"));

        await Assert.That(run.Errors).IsEmpty();
        await Assert.That(run.ExternalRequests).IsEmpty();
        await Assert.That(run.State).IsEqualTo("rendered");
        await Assert.That(run.Traces).IsEqualTo(plotly.Traces().Length);
    }

    [Test]
    public async Task LongSeries_IsScatterGl_WhichDrawsInAPlainPage()
    {
        // Under an MCP Apps host's CSP plotly cannot compile its WebGL code (docs/mcp-apps.md): the viewer must draw such
        // a trace as scatter. Outside it (a page that allows eval, the saved .plotly.json in a notebook) it draws.
        var (_, plotly) = await engine.PlotAsync("plot(1:3000, sin((1:3000) / 300));");

        var run = await Browser.RenderPlotlyAsync(plotly.GetRawText(), HeadlessBrowser.Screenshot("octave-scattergl"), hostCsp: false);

        await Assert.That(plotly.Traces().Single().Str("type")).IsEqualTo("scattergl");
        await Assert.That(run.Errors).IsEmpty();
        await Assert.That(run.State).IsEqualTo("rendered");
        await Assert.That(run.HasCanvas).IsTrue();
    }
}
