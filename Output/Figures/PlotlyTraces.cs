using System.Text.Json;

namespace MatlabMcp.Output.Figures;

/// <summary>Where a series is drawn: the cartesian axis pair or the 3-D scene of its axes, and what the axes lend it.</summary>
internal sealed record PlotlyAxesRef(string X, string Y, string? Scene, bool Legend, bool Colorbar, double[][] Colormap, double[] Clim)
{
    /// <summary>The axes' place in the figure (paper fractions): where its colorbar goes.</summary>
    public (double X0, double X1, double Y0, double Y1) Domain { get; init; } = (0, 1, 0, 1);

    public bool Is3D => Scene is not null;
}

/// <summary>One Plotly trace per series of the description (see <see cref="PlotlyFigure"/> for both vocabularies).</summary>
internal static class PlotlyTraces
{
    /// <summary>Points above which a 2-D line or scatter becomes WebGL <c>scattergl</c> (SVG slows past a few thousand).</summary>
    public const int WebGlThreshold = 1000;

    /// <summary>Writes the series' trace(s); false when the kind has no Plotly form here (e.g. a bar in a 3-D scene).</summary>
    public static bool Write(Utf8JsonWriter w, JsonElement s, PlotlyAxesRef ax)
    {
        var kind = s.Text("kind");
        if (ax.Is3D && kind is not ("line" or "scatter" or "surface"))
            return false; // Plotly scenes hold only 3-D trace types
        switch (kind)
        {
            case "line" or "stairs" or "stem" or "errorbar":
                Line(w, s, ax, kind);
                return true;
            case "scatter":
                Scatter(w, s, ax);
                return true;
            case "bar":
                Bar(w, s, ax);
                return true;
            case "area":
                Area(w, s, ax);
                return true;
            case "surface":
                Surface(w, s, ax);
                return true;
            case "image":
                PlotlyGrids.Image(w, s, ax);
                return true;
            case "contour":
                PlotlyGrids.Contour(w, s, ax);
                return true;
            case "patch":
                PlotlyGrids.Patch(w, s, ax);
                return true;
            default:
                return false;
        }
    }

    /// <summary>type, name, legend entry, axes and the truncation note every trace starts with.</summary>
    internal static void Begin(Utf8JsonWriter w, string type, JsonElement s, PlotlyAxesRef ax, bool legend = true)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        var name = s.Text("name");
        if (name.Length > 0)
            w.WriteString("name", name);
        if (legend) // grids have no legend entry (and the image trace has no such attribute)
            w.WriteBoolean("showlegend", ax.Legend && name.Length > 0);
        if (ax.Scene is { } scene)
            w.WriteString("scene", scene);
        else
        {
            w.WriteString("xaxis", ax.X);
            w.WriteString("yaxis", ax.Y);
        }
        if (s.Flag("truncated"))
        {
            // The agent reads this: the series had n values, the trace holds the first ones (or every step-th row/column).
            w.WriteStartObject("meta");
            w.WriteBoolean("truncated", true);
            w.WriteNumber("points", s.Number("n", 0));
            if (s.Number("step") is var step && double.IsFinite(step))
                w.WriteNumber("step", step);
            w.WriteEndObject();
        }
    }

    private static void Line(Utf8JsonWriter w, JsonElement s, PlotlyAxesRef ax, string kind)
    {
        var count = s.Count("y");
        var type = ax.Is3D ? "scatter3d" : count > WebGlThreshold ? "scattergl" : "scatter";
        var color = PlotlyStyle.Color(s.Field("color")) ?? PlotlyStyle.DefaultColor;
        var dash = kind == "stem" ? null : PlotlyStyle.Dash(s.Text("linestyle", "-"));
        var marker = s.Text("marker", "none");
        var face = s.Field("markerfacecolor");
        var filled = face.ValueKind != JsonValueKind.String || face.GetString() != "none";
        var symbol = PlotlyStyle.Symbol(marker, filled);
        if (ax.Is3D && symbol is not null)
            symbol = filled ? "circle" : "circle-open"; // scatter3d knows only a few symbols
        Begin(w, type, s, ax);
        w.WriteString("mode", (dash, symbol) switch
        {
            (not null, not null) => "lines+markers",
            (null, not null) => "markers",
            (not null, null) => "lines",
            _ => "none", // an invisible line: its data stays readable
        });
        w.WriteVector("x", s, "x");
        w.WriteVector("y", s, "y");
        if (ax.Is3D)
        {
            if (s.Count("z") > 0)
                w.WriteVector("z", s, "z");
            else
                PlotlyDescription.WriteNumbers(w.Property("z"), new double[count]); // a 2-D line in 3-D axes lies at z = 0
        }
        if (dash is not null)
        {
            w.WriteStartObject("line");
            w.WriteString("color", color);
            w.WriteNumber("width", PlotlyStyle.LineWidth(s.Number("linewidth", 0.5)));
            w.WriteString("dash", dash);
            if (kind == "stairs")
                w.WriteString("shape", "hv");
            w.WriteEndObject();
        }
        if (symbol is not null)
            WriteMarker(w, s, symbol, color, filled);
        if (kind == "stem")
            Stems(w, s, color);
        else if (kind == "errorbar")
        {
            ErrorBars(w, "error_y", s, "ldata", "udata", color);
            ErrorBars(w, "error_x", s, "xldata", "xudata", color);
        }
        w.WriteEndObject();
    }

    private static void WriteMarker(Utf8JsonWriter w, JsonElement s, string symbol, string lineColor, bool filled)
    {
        var markerName = s.Text("marker");
        var faceColor = PlotlyStyle.Color(s.Field("markerfacecolor")) ?? lineColor; // 'auto' fills with the line's colour
        var edgeColor = PlotlyStyle.Color(s.Field("markeredgecolor")) ?? lineColor;
        w.WriteStartObject("marker");
        w.WriteString("symbol", symbol);
        w.WriteNumber("size", PlotlyStyle.MarkerSize(markerName, s.Number("markersize", 6)));
        // An open symbol takes marker.color for its outline; a filled one takes it for the face and line.color for the edge.
        w.WriteString("color", filled ? faceColor : edgeColor);
        if (filled)
        {
            w.WriteStartObject("line");
            w.WriteString("color", edgeColor);
            w.WriteNumber("width", 1);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>A stem is an error bar from the point to the baseline: one trace that keeps the data readable.</summary>
    private static void Stems(Utf8JsonWriter w, JsonElement s, string color)
    {
        var y = s.Numbers("y");
        var b = s.Number("basevalue", 0);
        if (!double.IsFinite(b))
            b = 0;
        var up = y.Select(v => double.IsFinite(v) && v < b ? b - v : 0).ToArray();
        var down = y.Select(v => double.IsFinite(v) && v > b ? v - b : 0).ToArray();
        WriteErrorObject(w, "error_y", up, down, color);
    }

    private static void ErrorBars(Utf8JsonWriter w, string property, JsonElement s, string lower, string upper, string color)
    {
        if (s.Count(lower) == 0 && s.Count(upper) == 0)
            return;
        var minus = s.Numbers(lower);
        var plus = s.Numbers(upper);
        WriteErrorObject(w, property, plus.Length > 0 ? plus : minus, minus.Length > 0 ? minus : plus, color);
    }

    private static void WriteErrorObject(Utf8JsonWriter w, string property, double[] plus, double[] minus, string color)
    {
        w.WriteStartObject(property);
        w.WriteString("type", "data");
        w.WriteBoolean("symmetric", false);
        PlotlyDescription.WriteNumbers(w.Property("array"), plus);
        PlotlyDescription.WriteNumbers(w.Property("arrayminus"), minus);
        w.WriteString("color", color);
        w.WriteNumber("thickness", 1);
        if (property == "error_y" && plus.Zip(minus).All(p => p.First == 0 || p.Second == 0))
            w.WriteNumber("width", 0); // stems: no cap
        w.WriteEndObject();
    }

    private static void Scatter(Utf8JsonWriter w, JsonElement s, PlotlyAxesRef ax)
    {
        var count = s.Count("y");
        var type = ax.Is3D ? "scatter3d" : count > WebGlThreshold ? "scattergl" : "scatter";
        var face = s.Field("markerfacecolor");
        var filled = face.ValueKind != JsonValueKind.String || face.GetString() != "none";
        var symbol = PlotlyStyle.Symbol(s.Text("marker", "o"), filled) ?? "circle";
        if (ax.Is3D)
            symbol = filled ? "circle" : "circle-open";
        Begin(w, type, s, ax);
        w.WriteString("mode", "markers");
        w.WriteVector("x", s, "x");
        w.WriteVector("y", s, "y");
        if (ax.Is3D)
            w.WriteVector("z", s, "z");
        w.WriteStartObject("marker");
        w.WriteString("symbol", symbol);
        // sizedata is an area in points²: Plotly wants a diameter in pixels.
        var sizes = s.Numbers("sizedata").Select(a => Math.Round(Math.Sqrt(double.IsFinite(a) && a > 0 ? a : 36) * 4 / 3, 2)).ToArray();
        if (sizes.Length == 1)
            w.WriteNumber("size", sizes[0]);
        else if (sizes.Length > 1)
            PlotlyDescription.WriteNumbers(w.Property("size"), sizes);
        // cdata: one triplet, one value per point (through the colormap), or one triplet per point.
        var fixedColor = PlotlyStyle.Color(face) ?? PlotlyStyle.Color(s.Field("markeredgecolor"));
        var cdata = s.Matrix("cdata");
        if (fixedColor is null && cdata.Length == 1 && cdata[0].Length == 3 && count != 3)
            fixedColor = PlotlyStyle.Rgb(cdata[0][0] * 255, cdata[0][1] * 255, cdata[0][2] * 255);
        if (fixedColor is not null)
            w.WriteString("color", fixedColor);
        else if (cdata.Length > 1 && cdata.All(r => r.Length == 3))
        {
            w.WriteStartArray("color");
            foreach (var r in cdata)
                w.WriteStringValue(PlotlyStyle.Rgb(r[0] * 255, r[1] * 255, r[2] * 255));
            w.WriteEndArray();
        }
        else if (cdata.Length > 0)
        {
            PlotlyDescription.WriteNumbers(w.Property("color"), [.. cdata.SelectMany(r => r)]);
            PlotlyStyle.WriteColorscale(w, ax.Colormap);
            if (ax.Clim.Length == 2)
            {
                w.WriteNumber("cmin", ax.Clim[0]);
                w.WriteNumber("cmax", ax.Clim[1]);
            }
            PlotlyStyle.WriteColorbar(w, ax);
        }
        else
            w.WriteString("color", PlotlyStyle.DefaultColor);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Bar(Utf8JsonWriter w, JsonElement s, PlotlyAxesRef ax)
    {
        var horizontal = s.Flag("horizontal");
        Begin(w, "bar", s, ax);
        if (horizontal)
        {
            w.WriteString("orientation", "h");
            w.WriteVector("x", s, "y");
            w.WriteVector("y", s, "x");
        }
        else
        {
            w.WriteVector("x", s, "x");
            w.WriteVector("y", s, "y");
        }
        var basevalue = s.Number("basevalue", 0);
        if (double.IsFinite(basevalue) && basevalue != 0)
            w.WriteNumber("base", basevalue);
        WriteFill(w, s, "marker");
        w.WriteEndObject();
    }

    /// <summary>marker (bar) colour and edge from facecolor/edgecolor.</summary>
    internal static void WriteFill(Utf8JsonWriter w, JsonElement s, string property, string? fallbackFace = null)
    {
        w.WriteStartObject(property);
        w.WriteString("color", PlotlyStyle.Color(s.Field("facecolor")) ?? fallbackFace ?? PlotlyStyle.DefaultColor);
        if (PlotlyStyle.Color(s.Field("edgecolor")) is { } edge)
        {
            w.WriteStartObject("line");
            w.WriteString("color", edge);
            w.WriteNumber("width", 1);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void Area(Utf8JsonWriter w, JsonElement s, PlotlyAxesRef ax)
    {
        Begin(w, "scatter", s, ax);
        w.WriteString("mode", "lines");
        w.WriteVector("x", s, "x");
        w.WriteVector("y", s, "y");
        // Areas of one axes stack, as area(Y) draws the columns of Y; Plotly fills each down to the one below.
        w.WriteString("stackgroup", "area-" + ax.X);
        var face = PlotlyStyle.Color(s.Field("facecolor")) ?? PlotlyStyle.DefaultColor;
        w.WriteString("fillcolor", face);
        w.WriteStartObject("line");
        w.WriteString("color", PlotlyStyle.Color(s.Field("edgecolor")) ?? face);
        w.WriteNumber("width", 1);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Surface(Utf8JsonWriter w, JsonElement s, PlotlyAxesRef ax)
    {
        if (!ax.Is3D)
        {
            PlotlyGrids.FlatSurface(w, s, ax); // pcolor, or surf seen from above: a heatmap
            return;
        }
        Begin(w, "surface", s, ax, legend: false);
        WriteGridAxis(w, "x", s, "x");
        WriteGridAxis(w, "y", s, "y");
        PlotlyDescription.WriteMatrix(w, "z", s.Matrix("z"));
        if (s.Count("c") > 0)
            PlotlyDescription.WriteMatrix(w, "surfacecolor", s.Matrix("c")); // surf(x, y, z, c)
        PlotlyStyle.WriteColorscale(w, ax.Colormap);
        if (ax.Clim.Length == 2 && ax.Clim[1] > ax.Clim[0])
        {
            w.WriteNumber("cmin", ax.Clim[0]);
            w.WriteNumber("cmax", ax.Clim[1]);
        }
        PlotlyStyle.WriteColorbar(w, ax);
        var face = s.Field("facecolor");
        var faced = face.ValueKind == JsonValueKind.String && face.GetString() is "flat" or "interp" or "texturemap";
        if (!faced)
        {
            // mesh: the faces are blank, the grid lines carry the colour. Plotly draws them as contours at each grid line.
            w.WriteBoolean("hidesurface", true);
            w.WriteStartObject("contours");
            GridLines(w, "x", s.Numbers("x"));
            GridLines(w, "y", s.Numbers("y"));
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void GridLines(Utf8JsonWriter w, string axis, double[] values)
    {
        var distinct = values.Where(double.IsFinite).Distinct().Order().ToArray();
        w.WriteStartObject(axis);
        w.WriteBoolean("show", true);
        w.WriteBoolean("usecolormap", true);
        if (distinct.Length >= 2)
        {
            w.WriteNumber("start", distinct[0]);
            w.WriteNumber("end", distinct[^1]);
            w.WriteNumber("size", (distinct[^1] - distinct[0]) / (distinct.Length - 1));
        }
        w.WriteEndObject();
    }

    /// <summary>Surface x/y: a vector stays a vector, a meshgrid matrix stays a matrix (Plotly takes both).</summary>
    internal static void WriteGridAxis(Utf8JsonWriter w, string property, JsonElement s, string name)
    {
        var v = s.Field(name);
        if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0 && v[0].ValueKind == JsonValueKind.Array)
            PlotlyDescription.WriteMatrix(w, property, s.Matrix(name));
        else
            w.WriteVector(property, s, name);
    }

    /// <summary>Starts a property and returns the writer, for helpers that write a bare value.</summary>
    internal static Utf8JsonWriter Property(this Utf8JsonWriter w, string name)
    {
        w.WritePropertyName(name);
        return w;
    }
}
