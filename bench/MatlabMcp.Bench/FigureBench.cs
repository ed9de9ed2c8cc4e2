using System.Diagnostics;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Bench;

/// <summary>
/// A simple plot returned as a PNG, and the same with its Plotly JSON, through the real stdio server (goals: PNG p50
/// &lt;= 300 ms; Plotly &lt;= 100 ms more). The plot without export (figure_format none, then closed) is the baseline:
/// what drawing costs before any export.
/// </summary>
internal static class FigureBench
{
    private const string Plot = "close all; x = linspace(0, 2*pi, 200); plot(x, sin(x), 'r-', x, cos(x), 'b--'); title('waves'); legend('sin', 'cos');";

    public static async Task<List<Stats>> RunAsync(McpClient client, int calls)
    {
        var baseline = await TimeAsync(client, calls, "none", "plot, not exported (baseline)");
        var png = await TimeAsync(client, calls, "png", "plot -> PNG image");
        var plotly = await TimeAsync(client, calls, "plotly", "plot -> PNG + Plotly JSON");
        return [baseline, png, plotly];
    }

    private static async Task<Stats> TimeAsync(McpClient client, int calls, string format, string name)
    {
        var samples = new List<double>(calls);
        for (var i = 0; i < calls + 2; i++) // two untimed: gnuplot's first start
        {
            var start = Stopwatch.GetTimestamp();
            var result = await client.CallToolAsync("execute_code", new Dictionary<string, object?> { ["code"] = Plot, ["figure_format"] = format });
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (result.IsError == true || (format != "none" && !result.Content.OfType<ImageContentBlock>().Any()))
                throw new InvalidOperationException($"the {format} figure call failed: " +
                    string.Join("", result.Content.OfType<TextContentBlock>().Select(t => t.Text)));
            if (i >= 2)
                samples.Add(elapsed);
        }
        return Stats.Of(name, samples);
    }
}
