using MatlabMcp.Output;
using MatlabMcp.Output.Figures;
using MatlabMcp.Security;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Endpoints;

/// <summary>
/// The content blocks that carry a result's figures: the PNG as an image (what the model sees), the SVG as a link, the
/// Plotly JSON embedded (what an agent reads numbers from, and what the figure viewer draws). Files are read from the
/// session folder when the result is shaped, so get_job_result shows them too while the session lasts.
/// </summary>
internal static class FigureContent
{
    /// <summary>Largest PNG sent as an image; output.figure_max_width keeps real figures far below it.</summary>
    private const long MaxImageBytes = 8 * 1024 * 1024;

    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    /// <summary>The blocks for <paramref name="figures"/>, and a line for each figure whose file is gone or unreadable.</summary>
    public static (List<ContentBlock> Blocks, List<string> Problems) For(IReadOnlyList<FigureReport>? figures, string session, string folder)
    {
        var (blocks, problems) = (new List<ContentBlock>(), new List<string>());
        foreach (var figure in figures ?? [])
        {
            if (figure.File is not { } file)
                continue;
            if (ConfinedFile.ReadAll(folder, file, MaxImageBytes, out var problem) is not { } png)
            {
                problems.Add($"{file} can no longer be shown: {problem}.");
                continue;
            }
            blocks.Add(ImageContentBlock.FromBytes(png, "image/png"));
            if (figure.SvgFile is { } svg)
                blocks.Add(new ResourceLinkBlock { Uri = SessionResources.Uri(session, svg), Name = Path.GetFileName(svg), MimeType = "image/svg+xml" });
        }
        return (blocks, problems);
    }
}
