using System.Text.Json;
using MatlabMcp.Output.Figures;

namespace MatlabMcp.Tests.Output;

/// <summary>
/// The converter on hand-written descriptions: shapes jsonencode produces but a given plot may not (bare numbers,
/// odd positions, unknown kinds), and descriptions that are wrong altogether. Real plots are in PlotlyFigureTests.
/// </summary>
public sealed class PlotlyConverterTests
{
    private static JsonElement Convert(string description) =>
        JsonDocument.Parse(PlotlyFigure.Convert(JsonDocument.Parse(description).RootElement)).RootElement;

    private static string Axes(string series, string extra = "") =>
        $$"""{"version":1,"axes":[{"position":[0.1,0.1,0.8,0.8],"view":[0,90],{{extra}}"series":[{{series}}]}]}""";

    [Test]
    [Arguments("null")]
    [Arguments("[]")]
    [Arguments("{}")]
    [Arguments("""{"axes": 5}""")]
    [Arguments("""{"axes": [1, "x", null]}""")]
    [Arguments("""{"axes": {"series": {"kind": "line", "x": "text", "y": {"a": 1}}}}""")]
    public async Task WrongShapes_GiveValidPlotly_NotAnException(string description)
    {
        var plotly = Convert(description);

        await Assert.That(plotly.GetProperty("data").ValueKind).IsEqualTo(JsonValueKind.Array);
        await Assert.That(plotly.GetProperty("layout").ValueKind).IsEqualTo(JsonValueKind.Object);
    }

    /// <summary>What the extractor says of figure() with no axes (the bridge's PNG export refuses such a figure first).</summary>
    [Test]
    public async Task AFigureWithoutAxes_GivesNoTracesAndNoAxes()
    {
        var plotly = Convert("""{"version":1,"maxPoints":100,"points":0,"total":0,"truncated":false,"axes":[]}""");

        await Assert.That(plotly.Traces().Length).IsEqualTo(0);
        await Assert.That(plotly.Layout().Has("xaxis") || plotly.Layout().Has("meta")).IsFalse();
    }

    [Test]
    public async Task OnePointSeries_WrittenAsBareNumbers_BecomeArrays()
    {
        var plotly = Convert(Axes("""{"kind":"line","x":3,"y":null,"color":[0,0,1],"linestyle":"none","marker":"o"}"""));

        var t = plotly.Traces().Single();
        await Assert.That(t.GetProperty("x").GetRawText()).IsEqualTo("[3]");
        await Assert.That(t.GetProperty("y").GetRawText()).IsEqualTo("[null]");
        await Assert.That((t.Str("mode"), t.Str("marker", "color"))).IsEqualTo(("markers", "rgb(0,0,255)"));
    }

    [Test]
    [Arguments(PlotlyTraces.WebGlThreshold, "scatter")]
    [Arguments(PlotlyTraces.WebGlThreshold + 1, "scattergl")]
    public async Task SeriesLength_ChoosesSvgOrWebGl(int points, string type)
    {
        var values = string.Join(',', Enumerable.Range(1, points));
        var plotly = Convert(Axes($$"""{"kind":"line","x":[{{values}}],"y":[{{values}}],"linestyle":"-","marker":"none"}"""));

        await Assert.That(plotly.Traces().Single().Str("type")).IsEqualTo(type);
    }

    [Test]
    public async Task PatchOfTriangles_IsAFilledScatter_WithAGapBetweenFaces()
    {
        // Two triangles: vertices × faces, as jsonencode writes a 3×2 matrix.
        var plotly = Convert(Axes("""{"kind":"patch","x":[[0,5],[1,6],[0,5]],"y":[[0,0],[0,0],[1,1]],"facecolor":[1,0,0],"edgecolor":[0,0,0]}"""));

        var t = plotly.Traces().Single();
        await Assert.That((t.Str("type"), t.Str("fill"), t.Str("fillcolor"))).IsEqualTo(("scatter", "toself", "rgb(255,0,0)"));
        await Assert.That(t.GetProperty("x").GetRawText()).IsEqualTo("[0,1,0,0,null,5,6,5,5]");
    }

    [Test]
    public async Task TwoDimensionalKinds_InA3DAxes_AreLeftOut_AndTheRestStays()
    {
        var plotly = Convert("""
            {"axes":[{"position":[0,0,1,1],"view":[-37.5,30],"series":[
              {"kind":"bar","x":[1,2],"y":[3,4]},
              {"kind":"line","x":[1,2],"y":[3,4],"z":[5,6],"linestyle":"-","marker":"none"}]}]}
            """);

        var t = plotly.Traces().Single();
        await Assert.That((t.Str("type"), t.Str("scene"))).IsEqualTo(("scatter3d", "scene"));
        await Assert.That(t.Nums("z")).IsEquivalentTo(new double[] { 5, 6 }, CollectionOrdering.Matching);
    }

    [Test]
    public async Task PositionsPastTheFigure_AreClampedToDomainsWithinIt()
    {
        var plotly = Convert("""{"axes":[{"position":[-0.1,0.5,1.5,0.7],"view":[0,90],"series":[]}]}""");

        await Assert.That(plotly.Layout().Nums("xaxis", "domain")).IsEquivalentTo(new double[] { 0, 1 }, CollectionOrdering.Matching);
        await Assert.That(plotly.Layout().Nums("yaxis", "domain")).IsEquivalentTo(new double[] { 0.5, 1 }, CollectionOrdering.Matching);
    }

    [Test]
    [Arguments("+", "none", "cross-thin-open")]
    [Arguments("*", "auto", "asterisk-open")]
    [Arguments("x", "none", "x-thin-open")]
    [Arguments("s", "auto", "square")]
    [Arguments("d", "none", "diamond-open")]
    [Arguments("^", "none", "triangle-up-open")]
    [Arguments("p", "auto", "star")]
    [Arguments(".", "none", "circle")]
    public async Task Markers_MapToPlotlySymbols_OpenUnlessFilled(string marker, string face, string symbol)
    {
        var plotly = Convert(Axes($$"""{"kind":"line","x":[1,2],"y":[1,2],"linestyle":"none","marker":"{{marker}}","markerfacecolor":"{{face}}"}"""));

        await Assert.That(plotly.Traces().Single().Str("marker", "symbol")).IsEqualTo(symbol);
    }

    [Test]
    public async Task Colours_OutOfRangeAreClamped_AndWordsAreUnderstood()
    {
        var plotly = Convert(Axes("""
            {"kind":"line","x":[1,2],"y":[1,2],"linestyle":"-","marker":"none","color":[1.2,-1,0.5]},
            {"kind":"line","x":[1,2],"y":[1,2],"linestyle":"-","marker":"none","color":"m"},
            {"kind":"line","x":[1,2],"y":[1,2],"linestyle":"-","marker":"none","color":"flat"}
            """));

        await Assert.That(plotly.Traces().Select(t => t.Str("line", "color")))
            .IsEquivalentTo(new[] { "rgb(255,0,128)", "rgb(255,0,255)", PlotlyStyle.DefaultColor }, CollectionOrdering.Matching);
    }

    [Test]
    public async Task Legend_ListsOnlyNamedSeries_OfAxesThatHaveALegend()
    {
        var plotly = Convert("""
            {"axes":[
              {"position":[0.1,0.1,0.3,0.8],"view":[0,90],"legend":true,"series":[
                {"kind":"line","name":"named","x":[1],"y":[1],"linestyle":"-"},{"kind":"line","name":"","x":[1],"y":[1],"linestyle":"-"}]},
              {"position":[0.6,0.1,0.3,0.8],"view":[0,90],"legend":false,"series":[
                {"kind":"line","name":"hidden","x":[1],"y":[1],"linestyle":"-"}]}]}
            """);

        await Assert.That(plotly.Traces().Select(t => t.GetProperty("showlegend").GetBoolean()))
            .IsEquivalentTo(new[] { true, false, false }, CollectionOrdering.Matching);
        await Assert.That(plotly.Traces()[2].Str("xaxis")).IsEqualTo("x2");
    }
}
