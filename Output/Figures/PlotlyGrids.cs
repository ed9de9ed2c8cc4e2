using System.Text.Json;

namespace MatlabMcp.Output.Figures;

/// <summary>Traces for gridded and polygon data: images, heatmaps, contours and patches (histogram bars among them).</summary>
internal static class PlotlyGrids
{
    /// <summary>image/imagesc: truecolour as a Plotly <c>image</c>, indexed or scaled as a <c>heatmap</c> through the colormap.</summary>
    public static void Image(Utf8JsonWriter w, JsonElement s, PlotlyAxesRef ax)
    {
        var c = s.Field("c");
        var truecolor = c.ValueKind == JsonValueKind.Array && c.GetArrayLength() > 0 && c[0].ValueKind == JsonValueKind.Array
                        && c[0].GetArrayLength() > 0 && c[0][0].ValueKind == JsonValueKind.Array;
        var rows = c.ValueKind == JsonValueKind.Array ? c.GetArrayLength() : 1;
        var cols = truecolor || (rows > 0 && c.ValueKind == JsonValueKind.Array && c[0].ValueKind == JsonValueKind.Array)
            ? c[0].GetArrayLength()
            : Math.Max(1, s.Count("c"));
        PlotlyTraces.Begin(w, truecolor ? "image" : "heatmap", s, ax, legend: false);
        // xdata/ydata are the centres of the first and last pixel.
        WriteOrigin(w, "x0", "dx", s.Numbers("x"), cols);
        WriteOrigin(w, "y0", "dy", s.Numbers("y"), rows);
        if (truecolor)
        {
            w.WritePropertyName("z");
            c.WriteTo(w); // rows of [r, g, b] in 0..255, as the extractor scaled them
            w.WriteEndObject();
            return;
        }
        PlotlyDescription.WriteMatrix(w, "z", s.Matrix("c"));
        PlotlyStyle.WriteColorscale(w, ax.Colormap);
        if (s.Text("cdatamapping") == "direct")
        {
            w.WriteNumber("zmin", 1);
            w.WriteNumber("zmax", Math.Max(2, ax.Colormap.Length));
        }
        else if (ax.Clim.Length == 2 && ax.Clim[1] > ax.Clim[0])
        {
            w.WriteNumber("zmin", ax.Clim[0]);
            w.WriteNumber("zmax", ax.Clim[1]);
        }
        PlotlyStyle.WriteColorbar(w, ax);
        w.WriteEndObject();
    }

    private static void WriteOrigin(Utf8JsonWriter w, string origin, string step, double[] extent, int count)
    {
        if (extent.Length == 0 || !double.IsFinite(extent[0]))
            return;
        w.WriteNumber(origin, extent[0]);
        if (extent.Length >= 2 && count > 1 && double.IsFinite(extent[^1]))
            w.WriteNumber(step, (extent[^1] - extent[0]) / (count - 1));
    }

    /// <summary>A surface in a 2-D view (pcolor, or surf then view(2)): a heatmap on the grid's first row and column.</summary>
    public static void FlatSurface(Utf8JsonWriter w, JsonElement s, PlotlyAxesRef ax)
    {
        PlotlyTraces.Begin(w, "heatmap", s, ax, legend: false);
        PlotlyDescription.WriteNumbers(w.Property("x"), AxisVector(s.Matrix("x"), columns: true));
        PlotlyDescription.WriteNumbers(w.Property("y"), AxisVector(s.Matrix("y"), columns: false));
        // The colour is the data seen from above: cdata where it differs from the height (pcolor's z is all 0).
        PlotlyDescription.WriteMatrix(w, "z", s.Count("c") > 0 ? s.Matrix("c") : s.Matrix("z"));
        PlotlyStyle.WriteColorscale(w, ax.Colormap);
        if (ax.Clim.Length == 2 && ax.Clim[1] > ax.Clim[0])
        {
            w.WriteNumber("zmin", ax.Clim[0]);
            w.WriteNumber("zmax", ax.Clim[1]);
        }
        PlotlyStyle.WriteColorbar(w, ax);
        w.WriteEndObject();
    }

    /// <summary>A vector stays itself; a meshgrid matrix gives its first row (x) or first column (y).</summary>
    private static double[] AxisVector(double[][] m, bool columns) =>
        m.Length switch
        {
            0 => [],
            1 => m[0],
            _ when m[0].Length == 1 => [.. m.Select(r => r[0])],
            _ => columns ? m[0] : [.. m.Select(r => r[0])],
        };

    public static void Contour(Utf8JsonWriter w, JsonElement s, PlotlyAxesRef ax)
    {
        PlotlyTraces.Begin(w, "contour", s, ax, legend: false);
        PlotlyDescription.WriteNumbers(w.Property("x"), AxisVector(s.Matrix("x"), columns: true));
        PlotlyDescription.WriteNumbers(w.Property("y"), AxisVector(s.Matrix("y"), columns: false));
        PlotlyDescription.WriteMatrix(w, "z", s.Matrix("z"));
        var levels = s.Numbers("levels").Where(double.IsFinite).Order().ToArray();
        var lineColor = PlotlyStyle.Color(s.Field("linecolor"));
        var fill = s.Flag("fill");
        w.WriteBoolean("autocontour", levels.Length == 0);
        w.WriteStartObject("contours");
        // Plotly draws evenly spaced levels: the first, the last and their mean step (MATLAB's default levels are even).
        if (levels.Length > 0)
        {
            w.WriteNumber("start", levels[0]);
            w.WriteNumber("end", levels[^1]);
            w.WriteNumber("size", levels.Length > 1 ? (levels[^1] - levels[0]) / (levels.Length - 1) : 1);
        }
        w.WriteString("coloring", fill ? "fill" : lineColor is null ? "lines" : "none");
        if (fill)
            w.WriteBoolean("showlines", true); // lines between the filled bands, as contourf draws them
        w.WriteEndObject();
        if (lineColor is not null)
        {
            w.WriteStartObject("line");
            w.WriteString("color", lineColor);
            w.WriteEndObject();
        }
        PlotlyStyle.WriteColorscale(w, ax.Colormap);
        PlotlyStyle.WriteColorbar(w, ax);
        w.WriteEndObject();
    }

    /// <summary>
    /// A patch. Faces that are all axis-aligned rectangles on one baseline (Octave's hist, bar(…,'hist')) become a bar
    /// trace with the bars' centres, heights and widths; any other patch is filled polygons separated by gaps.
    /// </summary>
    public static void Patch(Utf8JsonWriter w, JsonElement s, PlotlyAxesRef ax)
    {
        var xs = Faces(s.Matrix("x"));
        var ys = Faces(s.Matrix("y"));
        var face = FaceColor(s, ax);
        if (xs.Count == ys.Count && TryBars(xs, ys, out var centres, out var heights, out var widths, out var baseline))
        {
            PlotlyTraces.Begin(w, "bar", s, ax);
            PlotlyDescription.WriteNumbers(w.Property("x"), centres);
            PlotlyDescription.WriteNumbers(w.Property("y"), heights);
            PlotlyDescription.WriteNumbers(w.Property("width"), widths);
            if (baseline != 0)
                w.WriteNumber("base", baseline);
            PlotlyTraces.WriteFill(w, s, "marker", face);
            w.WriteEndObject();
            return;
        }
        PlotlyTraces.Begin(w, xs.Sum(f => f.Length) > PlotlyTraces.WebGlThreshold ? "scattergl" : "scatter", s, ax);
        w.WriteString("mode", "lines");
        w.WriteString("fill", "toself");
        var x = new List<double>();
        var y = new List<double>();
        for (var f = 0; f < Math.Min(xs.Count, ys.Count); f++)
        {
            if (f > 0)
            {
                x.Add(double.NaN); // a gap between faces (written as null)
                y.Add(double.NaN);
            }
            x.AddRange(xs[f]);
            y.AddRange(ys[f]);
            if (xs[f].Length > 0)
            {
                x.Add(xs[f][0]); // closed outline
                y.Add(ys[f][0]);
            }
        }
        PlotlyDescription.WriteNumbers(w.Property("x"), [.. x]);
        PlotlyDescription.WriteNumbers(w.Property("y"), [.. y]);
        var fill = PlotlyStyle.Color(s.Field("facecolor")) ?? face;
        if (fill is not null)
            w.WriteString("fillcolor", fill);
        w.WriteStartObject("line");
        w.WriteString("color", PlotlyStyle.Color(s.Field("edgecolor")) ?? fill ?? PlotlyStyle.DefaultColor);
        w.WriteNumber("width", 1);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Patch xdata is vertices × faces (jsonencode: one row per vertex); a single face arrives as one flat row.</summary>
    private static List<double[]> Faces(double[][] m)
    {
        if (m.Length == 1)
            return [m[0]];
        var faces = new List<double[]>();
        var count = m.Length == 0 ? 0 : m.Min(r => r.Length);
        for (var f = 0; f < count; f++)
            faces.Add([.. m.Select(r => r[f])]);
        return faces;
    }

    private static bool TryBars(List<double[]> xs, List<double[]> ys, out double[] centres, out double[] heights,
        out double[] widths, out double baseline)
    {
        (centres, heights, widths, baseline) = ([], [], [], 0);
        if (xs.Count == 0)
            return false;
        var c = new double[xs.Count];
        var h = new double[xs.Count];
        var wd = new double[xs.Count];
        double? b = null;
        for (var f = 0; f < xs.Count; f++)
        {
            var dx = xs[f].Distinct().ToArray();
            var dy = ys[f].Distinct().ToArray();
            if (xs[f].Length != 4 || dx.Length != 2 || dy.Length is < 1 or > 2 || !dx.All(double.IsFinite) || !dy.All(double.IsFinite))
                return false;
            // The baseline is the y the bars share; a zero-height bar has only that y.
            var low = dy.Min();
            var high = dy.Max();
            b ??= low;
            if (low != b && high != b)
                return false;
            var top = low == b ? high : low;
            c[f] = (dx[0] + dx[1]) / 2;
            wd[f] = Math.Abs(dx[1] - dx[0]);
            h[f] = top - b.Value;
        }
        (centres, heights, widths, baseline) = (c, h, wd, b ?? 0);
        return true;
    }

    /// <summary>'flat' faces take the colormap's colour of their first cdata value.</summary>
    private static string? FaceColor(JsonElement s, PlotlyAxesRef ax)
    {
        if (PlotlyStyle.Color(s.Field("facecolor")) is { } rgb)
            return rgb;
        var cdata = s.Numbers("cdata");
        return cdata.Length == 0 ? null : PlotlyStyle.MapColor(cdata[0], ax.Colormap, ax.Clim, s.Text("cdatamapping") == "direct");
    }
}
