using System.Diagnostics;
using System.Text.Json;
using MatlabMcp.Configuration;
using MatlabMcp.Output.Figures;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Bench;

/// <summary>
/// What Plotly JSON costs on top of the PNG, in this process on one real engine (no server): the same plot exported
/// as png and as plotly (goal: plotly ≤ 100 ms more), with the CPU each costs, and the C# conversion of
/// the description alone. A plot of 100,000 points shows the price at output.plotly_max_points.
/// </summary>
internal static class PlotlyBench
{
    private const string Simple = "x = linspace(0, 2*pi, 200); plot(x, sin(x), 'r-', x, cos(x), 'b--'); title('waves'); legend('sin', 'cos');";
    private const string Large = "plot(1:100000, cumsum(randn(1, 100000)));";

    public static async Task<List<string>> RunAsync(int calls)
    {
        var root = Directory.CreateTempSubdirectory("mcp-bench-plotly-").FullName;
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101); // engines may run as another user (sandbox.engine_user)
        var config = new AppConfig();
        config.Engine.WorkRoot = root;
        using var factory = new EngineFactory(Options.Create(config.Engine), new EngineSandbox(config), TimeProvider.System, NullLoggerFactory.Instance);
        var engine = await factory.StartAsync(factory.CreateSpareFolder(), CancellationToken.None);
        try
        {
            var lines = new List<string>();
            foreach (var (name, code, rounds) in new[] { ("simple plot", Simple, calls), ("100k-point plot", Large, Math.Max(3, calls / 10)) })
            {
                var (png, plotly, convert, description) = (new List<double>(), new List<double>(), new List<double>(), default(JsonElement));
                for (var i = 0; i < 2; i++) // untimed: gnuplot's first start
                    await TimeAsync(engine, code, "png");
                // In blocks, each with the CPU its engine (and gnuplot below it) spent: on two shared cores the CPU per
                // call is the steadier figure, wall time follows the machine's load.
                var meter = CpuMeter.Start(Environment.ProcessId);
                for (var i = 0; i < rounds; i++)
                    png.Add(await TimeAsync(engine, code, "png"));
                var pngCpu = meter?.PerCall(rounds);
                meter = CpuMeter.Start(Environment.ProcessId);
                for (var i = 0; i < rounds; i++)
                {
                    var (q, data) = await TimePlotlyAsync(engine, code);
                    plotly.Add(q);
                    description = data;
                }
                var plotlyCpu = meter?.PerCall(rounds);
                var json = "";
                for (var i = 0; i < Math.Max(20, rounds * 5); i++)
                {
                    var t = Stopwatch.GetTimestamp();
                    json = PlotlyFigure.Convert(description);
                    convert.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
                var (pngStats, plotlyStats) = (Stats.Of($"plotly: {name} -> PNG", png), Stats.Of($"plotly: {name} -> PNG + description", plotly));
                lines.Add(pngStats.ToString());
                if (pngCpu is not null)
                    lines.Add("  " + pngCpu);
                lines.Add(plotlyStats.ToString());
                if (plotlyCpu is not null)
                    lines.Add("  " + plotlyCpu);
                lines.Add(Stats.Of($"plotly: {name}, PlotlyFigure.Convert", convert).ToString());
                lines.Add($"  plotly adds {plotlyStats.P50Ms - pngStats.P50Ms + Stats.Of("", convert).P50Ms:0.0} ms at p50 (engine + conversion); " +
                    $"description {description.GetRawText().Length:N0} chars, Plotly JSON {json.Length:N0} chars");
            }
            return lines;
        }
        finally
        {
            await engine.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    private static FigureSettings Settings(string format) => new(format, "bench-", 120, 1024, 10, 100_000);

    private static async Task<double> TimeAsync(Engine engine, string code, string format)
    {
        var t = Stopwatch.GetTimestamp();
        var response = await engine.EvalAsync(code, new OutputSink(4096), Settings(format));
        var elapsed = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        if (!response.Ok || response.Figures is not [{ File.Length: > 0 }, ..])
            throw new InvalidOperationException($"the {format} export failed: {response.Error?.Message}");
        return elapsed;
    }

    private static async Task<(double Ms, JsonElement Description)> TimePlotlyAsync(Engine engine, string code)
    {
        var t = Stopwatch.GetTimestamp();
        var response = await engine.EvalAsync(code, new OutputSink(4096), Settings("plotly"));
        var elapsed = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        if (!response.Ok || response.Figures is not [{ Data: { } data }, ..])
            throw new InvalidOperationException($"the plotly export failed: {response.Error?.Message}");
        return (elapsed, data);
    }
}
