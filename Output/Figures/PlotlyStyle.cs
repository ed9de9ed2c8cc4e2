using System.Globalization;
using System.Text.Json;

namespace MatlabMcp.Output.Figures;

/// <summary>MATLAB/Octave styles in Plotly's words: colours, dashes, marker symbols, sizes and colormaps.</summary>
internal static class PlotlyStyle
{
    /// <summary>Octave's first axes colour, for series whose colour is not a triplet ('flat', 'auto').</summary>
    public const string DefaultColor = "rgb(0,114,189)";

    /// <summary>An RGB triplet (0..1) as <c>rgb(r,g,b)</c>; null for 'none', 'auto', 'flat' and anything else not a triplet.</summary>
    public static string? Color(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
            return Named(value.GetString());
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 3)
            return null;
        var rgb = PlotlyDescription.Flatten(value);
        return rgb.All(double.IsFinite) ? Rgb(rgb[0] * 255, rgb[1] * 255, rgb[2] * 255) : null;
    }

    public static string Rgb(double r, double g, double b) => string.Create(CultureInfo.InvariantCulture,
        $"rgb({Channel(r)},{Channel(g)},{Channel(b)})");

    private static int Channel(double v) => (int)Math.Round(Math.Clamp(v, 0, 255));

    // Colour letters and names that MATLAB accepts (Octave stores triplets, MATLAB may keep the name).
    private static string? Named(string? name) => name?.ToLowerInvariant() switch
    {
        "r" or "red" => "rgb(255,0,0)",
        "g" or "green" => "rgb(0,255,0)",
        "b" or "blue" => "rgb(0,0,255)",
        "c" or "cyan" => "rgb(0,255,255)",
        "m" or "magenta" => "rgb(255,0,255)",
        "y" or "yellow" => "rgb(255,255,0)",
        "k" or "black" => "rgb(0,0,0)",
        "w" or "white" => "rgb(255,255,255)",
        _ => null,
    };

    /// <summary>Line style to a Plotly dash; null for 'none' (no line).</summary>
    public static string? Dash(string lineStyle) => lineStyle switch
    {
        "none" => null,
        "--" => "dash",
        ":" => "dot",
        "-." => "dashdot",
        _ => "solid",
    };

    /// <summary>A marker to a Plotly symbol (open when the face is not filled); null for 'none'.</summary>
    public static string? Symbol(string marker, bool filled)
    {
        var symbol = marker switch
        {
            "none" or "" => null,
            "o" or "circle" => "circle",
            "." or "point" => "circle",
            "s" or "square" => "square",
            "d" or "diamond" => "diamond",
            "^" => "triangle-up",
            "v" => "triangle-down",
            "<" => "triangle-left",
            ">" => "triangle-right",
            "p" or "pentagram" => "star",
            "h" or "hexagram" => "hexagram",
            // Line-only symbols exist only as '-open' in Plotly.
            "+" => "cross-thin",
            "x" => "x-thin",
            "*" => "asterisk",
            "|" => "line-ns",
            "_" => "line-ew",
            _ => "circle",
        };
        if (symbol is null)
            return null;
        var lineOnly = symbol is "cross-thin" or "x-thin" or "asterisk" or "line-ns" or "line-ew";
        return lineOnly || (!filled && marker is not ("." or "point")) ? symbol + "-open" : symbol;
    }

    /// <summary>Marker size in points to Plotly's pixel diameter; '.' is a dot a third that size, as MATLAB draws it.</summary>
    public static double MarkerSize(string marker, double points)
    {
        var size = double.IsFinite(points) && points > 0 ? points : 6;
        return Math.Round(marker is "." or "point" ? Math.Max(2, size / 2) : size * 4 / 3, 1);
    }

    /// <summary>Line width in points to pixels, at least one pixel so thin default lines stay visible.</summary>
    public static double LineWidth(double points) =>
        Math.Round(Math.Max(1, double.IsFinite(points) ? points * 4 / 3 : 1), 2);

    /// <summary>The axes colormap (rows of 0..255) as a Plotly colorscale, at most 32 stops (Plotly interpolates).</summary>
    public static void WriteColorscale(Utf8JsonWriter w, double[][] colormap)
    {
        w.WritePropertyName("colorscale");
        w.WriteStartArray();
        var rows = colormap.Where(r => r.Length == 3).ToArray();
        if (rows.Length < 2)
            rows = [[68, 1, 84], [253, 231, 37]]; // viridis ends: Octave's default map
        var stops = Math.Min(rows.Length, 32);
        for (var i = 0; i < stops; i++)
        {
            var row = rows[(int)Math.Round(i * (rows.Length - 1) / (double)(stops - 1))];
            w.WriteStartArray();
            w.WriteNumberValue(Math.Round(i / (double)(stops - 1), 4));
            w.WriteStringValue(Rgb(row[0], row[1], row[2]));
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    /// <summary>showscale from the axes' colorbar, placed right of its own axes (Plotly's default is the figure's right edge,
    /// where the colorbars of several subplots would pile up).</summary>
    public static void WriteColorbar(Utf8JsonWriter w, PlotlyAxesRef ax)
    {
        w.WriteBoolean("showscale", ax.Colorbar);
        if (!ax.Colorbar)
            return;
        var (_, x1, y0, y1) = ax.Domain;
        w.WriteStartObject("colorbar");
        w.WriteNumber("x", Math.Round(Math.Min(x1 + 0.02, 1), 4));
        w.WriteString("xanchor", "left");
        w.WriteNumber("y", Math.Round((y0 + y1) / 2, 4));
        w.WriteString("yanchor", "middle");
        w.WriteNumber("len", Math.Round(Math.Max(y1 - y0, 0.1), 4));
        w.WriteEndObject();
    }

    /// <summary>The colour a colormap gives a value: 'scaled' maps clim onto the rows, 'direct' indexes them from 1.</summary>
    public static string? MapColor(double value, double[][] colormap, double[] clim, bool direct)
    {
        if (colormap.Length == 0 || !double.IsFinite(value))
            return null;
        int index;
        if (direct)
            index = (int)Math.Floor(value) - 1;
        else
        {
            var (lo, hi) = clim.Length == 2 && clim[1] > clim[0] ? (clim[0], clim[1]) : (value, value + 1);
            index = (int)Math.Floor((value - lo) / (hi - lo) * colormap.Length);
        }
        var row = colormap[Math.Clamp(index, 0, colormap.Length - 1)];
        return row.Length == 3 ? Rgb(row[0], row[1], row[2]) : null;
    }
}
