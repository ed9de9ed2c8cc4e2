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
    public static (List<FigureReport>? Figures, int Dropped) Collect(IReadOnlyList<BridgeFigure>? exported, FigureExport? export)
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
                figures.Add(Checked(figure, export.Folder));
        }
        return (figures, dropped);
    }

    /// <summary>The figure's PNG must be a PNG in the session folder: the engine wrote it, and could have written anything.</summary>
    private static FigureReport Checked(BridgeFigure figure, string folder)
    {
        var file = figure.File!;
        using var handle = ConfinedFile.OpenRead(folder, file, out _, out var problem);
        Span<byte> header = stackalloc byte[24];
        var size = handle is null ? null : PngHeader.Size(header[..RandomAccess.Read(handle, header, 0)]);
        if (size is not var (width, height))
            return new FigureReport { Error = $"The figure's image {ClientText.Escape(file)} could not be read: {problem ?? "it is not a PNG"}." };
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
