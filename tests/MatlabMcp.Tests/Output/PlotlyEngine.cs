using System.Text.Json;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Output.Figures;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Output;

/// <summary>
/// One real Octave for a test class, plotting through the real bridge and describing the figure with the bridge's own
/// extractor (a copy of matlab/private/mcp_bridge_figure_data.m in the session folder, which is the engine's working
/// folder): the code plots, describes and closes its figure in one call, and the description goes through
/// <see cref="PlotlyFigure.Convert"/>.
/// </summary>
public sealed class PlotlyEngine : IAsyncDisposable
{
    private const string Extractor = "mcp_bridge_figure_data.m";
    private readonly SemaphoreSlim _copied = new(1, 1);
    private string? _folder;

    internal EngineHarness Engine { get; } = new();

    public ValueTask DisposeAsync() => Engine.DisposeAsync();

    /// <summary>The figure's description as the extractor wrote it, and its Plotly JSON.</summary>
    internal async Task<(JsonElement Description, JsonElement Plotly)> PlotAsync(string plotCode, int maxPoints = 100_000)
    {
        var folder = await FolderAsync();
        var file = $"fig-{Guid.NewGuid():N}.json";
        var code = $"""
            f = figure();
            {plotCode}
            d = mcp_bridge_figure_data(f, {maxPoints});
            close(f);
            fid = fopen('{file}', 'w'); fwrite(fid, jsonencode(d)); fclose(fid);
            """;
        var outcome = await Engine.RunAsync(code, timeoutSeconds: 60);
        if (outcome.Status != JobState.Completed)
            throw new InvalidOperationException($"{outcome.Status}: {outcome.Message} {outcome.Error?.Message}\n{outcome.Output}");
        var description = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, file))).RootElement;
        var json = PlotlyFigure.Convert(description);
        // MCP_PLOTLY_DUMP=<folder> keeps every converted figure, to check them in plotly.js outside the tests.
        if (Environment.GetEnvironmentVariable("MCP_PLOTLY_DUMP") is { Length: > 0 } dump)
            await File.WriteAllTextAsync(Path.Combine(dump, $"{plotCode.GetHashCode():x8}.json"), json);
        return (description, JsonDocument.Parse(json).RootElement);
    }

    private async Task<string> FolderAsync()
    {
        await _copied.WaitAsync();
        try
        {
            if (_folder is null)
            {
                var session = await Engine.SessionAsync();
                File.Copy(Path.Combine(Repo.Root, "matlab", "private", Extractor), Path.Combine(session.Folder, Extractor));
                _folder = session.Folder;
            }
            return _folder;
        }
        finally
        {
            _copied.Release();
        }
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
