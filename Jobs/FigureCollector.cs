using System.Text;
using System.Text.Json;
using MatlabMcp.Output;
using MatlabMcp.Output.Figures;
using MatlabMcp.Pool;
using MatlabMcp.Security;

namespace MatlabMcp.Jobs;

/// <summary>Where and how a run's figures are exported: the bridge's settings and the session folder the files land in.</summary>
internal sealed record FigureExport(FigureSettings Settings, string Folder);

/// <summary>Turns what the bridge exported into the figures a result lists, checking each file the engine wrote.</summary>
internal static class FigureCollector
{
    /// <summary>Largest figure image read back; output.figure_max_width keeps real ones far below it.</summary>
    public const long FigureFileLimit = 8 * 1024 * 1024;

    public static async Task<(List<FigureReport>? Figures, int Dropped)> CollectAsync(IReadOnlyList<BridgeFigure>? exported,
        FigureExport? export, CancellationToken cancellationToken)
    {
        if (exported is not { Count: > 0 } || export is null)
            return (null, 0);
        var figures = new List<FigureReport>();
        var dropped = 0;
        foreach (var figure in exported)
        {
            if (figure.Dropped > 0)
                dropped += figure.Dropped;
            else if (figure.File is not { Length: > 0 })
                figures.Add(new FigureReport { Error = ClientText.Escape(figure.Error ?? "the engine exported no file") });
            else
                figures.Add(await WithPlotlyAsync(Checked(figure, export.Folder), figure, export.Folder, cancellationToken));
        }
        return (figures, dropped);
    }

    /// <summary>
    /// The figure's Plotly JSON, converted from the description the bridge sent and saved beside its PNG
    /// (figures/&lt;name&gt;.plotly.json, through ConfinedFolder: never through a link the engine planted).
    /// </summary>
    private static async Task<FigureReport> WithPlotlyAsync(FigureReport report, BridgeFigure figure, string folder,
        CancellationToken cancellationToken)
    {
        if (figure.Data is not { ValueKind: JsonValueKind.Object } description || report.File is not { } png)
            return report;
        var file = png[..^".png".Length] + ".plotly.json";
        using var confined = ConfinedFolder.Open(folder);
        var problem = confined is null ? "the session folder is gone"
            : (await confined.WriteAsync(file, Encoding.UTF8.GetBytes(PlotlyFigure.Convert(description)), cancellationToken))?.Message;
        return problem is null ? report with { PlotlyFile = file } : report with { Error = $"no Plotly JSON: {ClientText.Escape(problem)}" };
    }

    /// <summary>The figure's PNG must be a PNG in the session folder: the engine wrote it, and could have written anything.</summary>
    private static FigureReport Checked(BridgeFigure figure, string folder)
    {
        var file = figure.File!;
        var png = ConfinedFolder.ReadAll(folder, file, FigureFileLimit, out var problem);
        if (png is null || PngHeader.Size(png) is not var (width, height))
            return new FigureReport { Error = $"The figure's image could not be read: {ClientText.Escape(problem ?? $"'{file}' is not a PNG")}." };
        return new FigureReport
        {
            File = file,
            Width = width,
            Height = height,
            SvgFile = figure.Svg,
            Error = ClientText.EscapeOrNull(figure.Error), // the PNG is there; an extra (SVG, Plotly) is not
        };
    }
}
