using System.Text;
using MatlabMcp.Jobs;
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
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    /// <summary>The blocks for <paramref name="figures"/>, and a line for each figure whose file is gone or unreadable.</summary>
    /// <param name="maxEmbeddedChars">Longest Plotly JSON carried in the result (the text budget); a longer one is linked.</param>
    public static (List<ContentBlock> Blocks, List<string> Problems) For(IReadOnlyList<FigureReport>? figures, string session, string folder,
        int maxEmbeddedChars)
    {
        var (blocks, problems) = (new List<ContentBlock>(), new List<string>());
        foreach (var figure in figures ?? [])
        {
            if (figure.File is not { } file)
                continue;
            if (ConfinedFolder.ReadAll(folder, file, FigureCollector.FigureFileLimit, out var problem) is not { } png)
            {
                problems.Add($"{file} can no longer be shown: {ClientText.Escape(problem!)}");
                continue;
            }
            blocks.Add(ImageContentBlock.FromBytes(png, "image/png"));
            if (figure.SvgFile is { } svg)
                blocks.Add(new ResourceLinkBlock { Uri = SessionResources.Uri(session, svg), Name = Path.GetFileName(svg), MimeType = "image/svg+xml" });
            if (figure.PlotlyFile is { } plotly)
                blocks.Add(Plotly(session, folder, plotly, maxEmbeddedChars, problems));
        }
        return (blocks, problems);
    }

    /// <summary>
    /// The figure's data: embedded when it fits the text budget (an agent reads the numbers, the figure viewer draws it),
    /// otherwise linked, so a 100,000-point figure never costs the agent megabytes it did not ask for.
    /// </summary>
    private static ContentBlock Plotly(string session, string folder, string file, int maxEmbeddedChars, List<string> problems)
    {
        var uri = SessionResources.Uri(session, file);
        var json = ConfinedFolder.ReadAll(folder, file, maxEmbeddedChars, out _);
        if (json is not null)
            return new EmbeddedResourceBlock
            {
                Resource = new TextResourceContents { Uri = uri, MimeType = PlotlyMimeType, Text = Encoding.UTF8.GetString(json) },
            };
        problems.Add($"{file} is larger than output.max_output_chars, so it is linked, not included: read_file reads it in parts.");
        return new ResourceLinkBlock { Uri = uri, Name = Path.GetFileName(file), MimeType = PlotlyMimeType };
    }
}
