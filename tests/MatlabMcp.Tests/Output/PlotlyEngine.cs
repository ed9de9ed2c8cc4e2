using System.Text.Json;
using MatlabMcp.Output.Figures;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Output;

/// <summary>
/// One real Octave for a test class, plotting through the real bridge: the eval request carries figure_format plotly,
/// so mcp_bridge.m exports the figure after the code (mcp_bridge_figures.m, which calls mcp_bridge_figure_data.m) and
/// closes it; the description in the bridge's response goes through <see cref="PlotlyFigure.Convert"/>.
/// </summary>
public sealed class PlotlyEngine : IAsyncDisposable
{
    internal EngineHarness Engine { get; } = new();

    public ValueTask DisposeAsync() => Engine.DisposeAsync();

    /// <summary>The first figure's description as the bridge sent it, and its Plotly JSON.</summary>
    internal async Task<(JsonElement Description, JsonElement Plotly)> PlotAsync(string plotCode, int maxPoints = 100_000)
    {
        using var lease = await Engine.Sessions.AcquireAsync(CallerIdentity.Local, null, CancellationToken.None);
        var settings = new FigureSettings("plotly", "fig-test-", 96, 1024, 10, maxPoints);
        var response = await lease.Engine.EvalAsync(plotCode, new OutputSink(100_000), settings).WaitAsync(TimeSpan.FromSeconds(60));
        if (!response.Ok || response.Figures is not [{ Data: { } description }, ..])
            throw new InvalidOperationException($"no figure data: {response.Error?.Message} {response.Output} " +
                string.Join("; ", response.Figures?.Select(f => f.Error) ?? []));
        var json = PlotlyFigure.Convert(description);
        // MCP_PLOTLY_DUMP=<folder> keeps every converted figure, to check them in plotly.js outside the tests.
        if (Environment.GetEnvironmentVariable("MCP_PLOTLY_DUMP") is { Length: > 0 } dump)
            await File.WriteAllTextAsync(Path.Combine(dump, $"{plotCode.GetHashCode():x8}.json"), json);
        return (description, JsonDocument.Parse(json).RootElement);
    }
}

/// <summary>Reading Plotly JSON in assertions.</summary>
internal static class PlotlyJson
{
    public static JsonElement[] Traces(this JsonElement plotly) => [.. plotly.GetProperty("data").EnumerateArray()];

    public static JsonElement Layout(this JsonElement plotly) => plotly.GetProperty("layout");

    public static string Str(this JsonElement e, params string[] path) => Walk(e, path).GetString() ?? "";

    public static double Num(this JsonElement e, params string[] path) => Walk(e, path).GetDouble();

    public static bool Has(this JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out _);

    /// <summary>A numeric array; null reads as NaN.</summary>
    public static double[] Nums(this JsonElement e, params string[] path) =>
        [.. Walk(e, path).EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble())];

    public static double[][] Rows(this JsonElement e, params string[] path) =>
        [.. Walk(e, path).EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray())];

    private static JsonElement Walk(JsonElement e, string[] path)
    {
        foreach (var p in path)
            e = e.GetProperty(p);
        return e;
    }

    /// <summary>Rounds for comparisons of computed values (domains, colours from fractions).</summary>
    public static double[] Round(this double[] values, int digits = 6) => [.. values.Select(v => Math.Round(v, digits))];
}
