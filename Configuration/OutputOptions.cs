using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>Bounds on what a result may carry back to the agent.</summary>
internal sealed class OutputOptions : IConfigSection<OutputOptions>
{
    /// <summary>
    /// Printed output kept per call, in characters, and the most streamed live; the rest is cut at line boundaries with a
    /// marker that names the file holding the full text. The ceiling for execute_code's max_output_chars (a call may ask for
    /// less, never more). 20,000 because agents pay for every token and Claude Code caps a tool result at ~25K tokens by
    /// default: 20,000 characters of typical numeric output are ~7-10K tokens, which leaves room for the rest of the result
    /// (error, figures' links) and for a second call's result in the same turn.
    /// </summary>
    [ConfigurationKeyName("max_output_chars")] public int MaxOutputChars { get; set; } = 20_000;

    /// <summary>
    /// The most a job's spilled output file (<c>output/&lt;job&gt;.txt</c> in the session folder) may hold, in MB; past it the
    /// file keeps the start and the result says the file was cut. Bounds the disk a runaway print loop can fill.
    /// </summary>
    [ConfigurationKeyName("max_spill_mb")] public double MaxSpillMb { get; set; } = 100;

    /// <summary>Variables listed by get_workspace.</summary>
    [ConfigurationKeyName("max_workspace_variables")] public int MaxWorkspaceVariables { get; set; } = 500;

    /// <summary>What execute_code returns of the figures code drew, unless a call says otherwise: png, svg, plotly or none.</summary>
    [ConfigurationKeyName("figure_format")] public string FigureFormatName { get; set; } = "png";

    /// <summary>
    /// Resolution figures are exported at: the figure's on-screen size (pixels at 96 per inch) times this, before max width
    /// narrows it. 120 makes the default 560x420 figure 700x525, legible and cheap for a model to look at.
    /// </summary>
    [ConfigurationKeyName("figure_dpi")] public int FigureDpi { get; set; } = 120;

    /// <summary>Widest exported figure in pixels (aspect kept): an image costs the agent in proportion to its area.</summary>
    [ConfigurationKeyName("figure_max_width")] public int FigureMaxWidth { get; set; } = 1024;

    /// <summary>Figures exported per call; more are closed unexported, and the result says how many.</summary>
    [ConfigurationKeyName("max_figures")] public int MaxFigures { get; set; } = 10;

    /// <summary>Data points a figure's Plotly JSON carries (each series keeps its first points; the figure says it was cut).</summary>
    [ConfigurationKeyName("plotly_max_points")] public int PlotlyMaxPoints { get; set; } = 100_000;

    public FigureFormat FigureFormat => FigureFormats.TryParse(FigureFormatName, out var format) ? format : FigureFormat.Png;

    /// <summary>Elements get_variable returns at most, across the nesting (its max_elements may ask for fewer).</summary>
    [ConfigurationKeyName("max_variable_elements")] public int MaxVariableElements { get; set; } = 1000;
    /// <summary>Largest file upload_file accepts, in MiB (checked before anything is written).</summary>
    [ConfigurationKeyName("max_upload_mb")] public double MaxUploadMb { get; set; } = 50;

    /// <summary>Largest image or resource that read_file and resources/read return whole, in MiB (5: what model APIs take per image, and base64 of it stays under the 10 MiB message buffer of common stdio clients).</summary>
    [ConfigurationKeyName("max_read_mb")] public double MaxReadMb { get; set; } = 5;

    /// <summary>Entries list_files returns at most (the rest are counted).</summary>
    [ConfigurationKeyName("max_listed_files")] public int MaxListedFiles { get; set; } = 200;

    public long MaxUploadBytes => (long)(MaxUploadMb * 1024 * 1024);
    public long MaxReadBytes => (long)(MaxReadMb * 1024 * 1024);

    /// <summary>output.max_spill_mb in bytes.</summary>
    public long MaxSpillBytes => (long)(MaxSpillMb * 1024 * 1024);

    public IEnumerable<string> Validate()
    {
        if (MaxUploadMb <= 0 || MaxUploadMb > 4096)
            yield return "output.max_upload_mb must be above 0 and at most 4096.";
        if (MaxReadMb <= 0 || MaxReadMb > 1024)
            yield return "output.max_read_mb must be above 0 and at most 1024.";
        if (MaxListedFiles <= 0)
            yield return "output.max_listed_files must be positive.";
        if (MaxOutputChars < 100)
            yield return "output.max_output_chars must be at least 100.";
        if (MaxSpillMb is <= 0 or > 100_000 || double.IsNaN(MaxSpillMb))
            yield return "output.max_spill_mb must be positive (at most 100000).";
        if (MaxWorkspaceVariables <= 0)
            yield return "output.max_workspace_variables must be positive.";
        if (!FigureFormats.TryParse(FigureFormatName, out _))
            yield return $"output.figure_format must be {FigureFormats.Expected}, not \"{FigureFormatName}\".";
        if (FigureDpi is < 10 or > 1200)
            yield return "output.figure_dpi must be between 10 and 1200.";
        if (FigureMaxWidth is < 100 or > 10_000)
            yield return "output.figure_max_width must be between 100 and 10000 pixels.";
        if (MaxFigures is < 1 or > 100)
            yield return "output.max_figures must be between 1 and 100.";
        if (PlotlyMaxPoints < 100)
            yield return "output.plotly_max_points must be at least 100.";
        if (MaxVariableElements <= 0)
            yield return "output.max_variable_elements must be positive.";
    }
}

/// <summary>What a result carries of each figure: always the PNG (the model sees pixels), except with None.</summary>
internal enum FigureFormat
{
    /// <summary>A PNG image.</summary>
    Png,

    /// <summary>The PNG, and an SVG file linked.</summary>
    Svg,

    /// <summary>The PNG, and the figure's data as Plotly JSON.</summary>
    Plotly,

    /// <summary>Nothing exported, nothing closed: the figures stay open for a later call to export.</summary>
    None,
}

internal static class FigureFormats
{
    public const string Expected = "\"png\", \"svg\", \"plotly\" or \"none\"";

    /// <summary>The format as config.yaml, the tool and the bridge spell it.</summary>
    public static string Name(this FigureFormat format) => format.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out FigureFormat format)
    {
        format = text switch { "svg" => FigureFormat.Svg, "plotly" => FigureFormat.Plotly, "none" => FigureFormat.None, _ => FigureFormat.Png };
        return text is "png" or "svg" or "plotly" or "none";
    }
}
