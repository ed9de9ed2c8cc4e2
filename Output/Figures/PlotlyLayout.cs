using System.Globalization;
using System.Text.Json;

namespace MatlabMcp.Output.Figures;

/// <summary>The Plotly layout: axis pairs and scenes at the axes' positions, titles, labels, scales, legend, bars, truncation.</summary>
internal static class PlotlyLayout
{
    public static void Write(Utf8JsonWriter w, JsonElement figure, JsonElement[] axes, PlotlyAxesRef[] refs)
    {
        w.WriteStartObject("layout");
        var annotations = new List<(double X, double Y, string Text, string YAnchor, string XRef, string YRef)>();
        // The axes positions already leave MATLAB's room for ticks and labels: Plotly's own margins would add theirs.
        w.WriteStartObject("margin");
        foreach (var side in new[] { "l", "r", "t", "b" })
            w.WriteNumber(side, 10);
        w.WriteEndObject();
        var oneTitle = axes.Length == 1 ? axes[0].Text("title") : "";
        if (oneTitle.Length > 0)
        {
            // Just above the axes, as MATLAB places it (Plotly's default is the top margin, which is gone).
            var (x0, x1, _, y1) = Domain(axes[0].Numbers("position"));
            w.WriteStartObject("title");
            w.WriteString("text", oneTitle);
            w.WriteString("xref", "paper");
            w.WriteString("yref", "paper");
            w.WriteNumber("x", Math.Round((x0 + x1) / 2, 4));
            w.WriteNumber("y", y1);
            w.WriteString("xanchor", "center");
            w.WriteString("yanchor", "bottom");
            w.WriteEndObject();
        }
        w.WriteBoolean("showlegend", axes.Zip(refs).Any(p => p.Second.Legend && p.First.Items("series").Any(s => s.Text("name").Length > 0)));
        WriteBarLayout(w, axes);
        for (var i = 0; i < axes.Length; i++)
        {
            var a = axes[i];
            var (x0, x1, y0, y1) = Domain(a.Numbers("position"));
            if (refs[i].Scene is { } scene)
                WriteScene(w, scene, a, (x0, x1), (y0, y1));
            else
            {
                var n = refs[i].X[1..];
                WriteAxis(w, "xaxis" + n, a, 'x', (x0, x1), "y" + n);
                WriteAxis(w, "yaxis" + n, a, 'y', (y0, y1), "x" + n);
            }
            // Subplot titles sit above their axes: Plotly has one layout title, so they are annotations.
            if (axes.Length > 1 && a.Text("title") is { Length: > 0 } title)
                annotations.Add(((x0 + x1) / 2, y1, title, "bottom", "paper", "paper"));
            // text(x, y, 'label') in 2-D axes: an annotation at its data coordinates.
            if (refs[i].Scene is null)
                foreach (var t in a.Items("series").Where(s => s.Text("kind") == "text" && s.Text("string").Length > 0))
                    annotations.Add((t.Number("x", 0), t.Number("y", 0), t.Text("string"), "middle", refs[i].X, refs[i].Y));
        }
        if (figure.Flag("truncated"))
        {
            var (points, total, max) = (figure.Number("points", 0), figure.Number("total", 0), figure.Number("maxPoints", 0));
            annotations.Add((0.5, 1.0, string.Create(CultureInfo.InvariantCulture,
                $"Truncated: {points:N0} of {total:N0} values (maxPoints {max:N0})"), "top", "paper", "paper"));
            w.WriteStartObject("meta");
            w.WriteBoolean("truncated", true);
            w.WriteNumber("points", points);
            w.WriteNumber("total", total);
            w.WriteNumber("maxPoints", max);
            w.WriteEndObject();
        }
        if (annotations.Count > 0)
        {
            w.WriteStartArray("annotations");
            foreach (var (x, y, text, anchor, xref, yref) in annotations)
            {
                var paper = xref == "paper";
                w.WriteStartObject();
                w.WriteString("text", text);
                w.WriteString("xref", xref);
                w.WriteString("yref", yref);
                w.WriteNumber("x", paper ? Math.Round(x, 4) : x);
                w.WriteNumber("y", paper ? Math.Round(y, 4) : y);
                w.WriteString("xanchor", paper ? "center" : "left"); // MATLAB's text starts at its point
                w.WriteString("yanchor", anchor);
                w.WriteBoolean("showarrow", false);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    /// <summary>The axes position as Plotly domains, clamped to the figure (a colorbar or an odd position may reach past it).</summary>
    internal static (double X0, double X1, double Y0, double Y1) Domain(double[] position)
    {
        if (position.Length != 4 || !position.All(double.IsFinite))
            return (0, 1, 0, 1);
        var x0 = Math.Clamp(position[0], 0, 1);
        var x1 = Math.Clamp(position[0] + Math.Max(position[2], 0), 0, 1);
        var y0 = Math.Clamp(position[1], 0, 1);
        var y1 = Math.Clamp(position[1] + Math.Max(position[3], 0), 0, 1);
        return (Math.Round(x0, 4), Math.Round(Math.Max(x1, x0), 4), Math.Round(y0, 4), Math.Round(Math.Max(y1, y0), 4));
    }

    private static void WriteTitle(Utf8JsonWriter w, string property, string text)
    {
        w.WriteStartObject(property);
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    private static void WriteAxis(Utf8JsonWriter w, string property, JsonElement a, char axis, (double Lo, double Hi) domain, string anchor)
    {
        w.WriteStartObject(property);
        w.WriteStartArray("domain");
        w.WriteNumberValue(domain.Lo);
        w.WriteNumberValue(domain.Hi);
        w.WriteEndArray();
        w.WriteString("anchor", anchor);
        if (!a.Flag("visible") && a.Field("visible").ValueKind != JsonValueKind.Undefined)
        {
            w.WriteBoolean("visible", false); // axis off: Plotly ignores every other style of a hidden axis
            WriteScale(w, a, axis, title: false);
            w.WriteEndObject();
            return;
        }
        WriteScale(w, a, axis);
        w.WriteBoolean("showgrid", Grid(a, axis));
        w.WriteBoolean("zeroline", false);
        w.WriteBoolean("showline", true);
        w.WriteBoolean("mirror", true); // MATLAB draws the axes box
        w.WriteString("ticks", "outside");
        w.WriteEndObject();
    }

    /// <summary>Title, log/linear type and direction: a manual range as given (in log10 on a log axis), reversed by swapping.</summary>
    private static void WriteScale(Utf8JsonWriter w, JsonElement a, char axis, bool title = true)
    {
        // Written even when empty: a scene axis shows its letter as a title unless told otherwise, MATLAB shows nothing.
        if (title)
            WriteTitle(w, "title", a.Text($"{axis}label"));
        var ticks = a.Numbers($"{axis}tick");
        var labels = a.Items($"{axis}ticklabel").Select(l => l.ValueKind == JsonValueKind.String ? l.GetString() ?? "" : l.ToString()).ToArray();
        if (labels.Length > 0 && ticks.Length > 0)
        {
            // Labels MATLAB cycles when there are fewer than ticks; Plotly pairs them one to one.
            w.WriteString("tickmode", "array");
            PlotlyDescription.WriteNumbers(w.Property("tickvals"), ticks);
            w.WriteStartArray("ticktext");
            for (var i = 0; i < ticks.Length; i++)
                w.WriteStringValue(labels[i % labels.Length]);
            w.WriteEndArray();
        }
        var log = a.Text($"{axis}scale") == "log";
        w.WriteString("type", log ? "log" : "linear");
        var reversed = a.Text($"{axis}dir") == "reverse";
        var lim = a.Numbers($"{axis}lim");
        var manual = a.Text($"{axis}limmode") == "manual" && lim.Length == 2 && lim.All(double.IsFinite) && lim[1] > lim[0]
                     && (!log || lim[0] > 0);
        if (manual)
        {
            var (lo, hi) = log ? (Math.Log10(lim[0]), Math.Log10(lim[1])) : (lim[0], lim[1]);
            w.WriteStartArray("range");
            w.WriteNumberValue(reversed ? hi : lo);
            w.WriteNumberValue(reversed ? lo : hi);
            w.WriteEndArray();
            w.WriteBoolean("autorange", false);
        }
        else if (reversed)
            w.WriteString("autorange", "reversed");
    }

    private static bool Grid(JsonElement a, char axis)
    {
        var grid = a.Field("grid");
        var index = axis - 'x';
        return grid.ValueKind == JsonValueKind.Array && grid.GetArrayLength() > index && grid[index].ValueKind == JsonValueKind.True;
    }

    private static void WriteScene(Utf8JsonWriter w, string property, JsonElement a, (double Lo, double Hi) x, (double Lo, double Hi) y)
    {
        w.WriteStartObject(property);
        w.WriteStartObject("domain");
        w.WriteStartArray("x");
        w.WriteNumberValue(x.Lo);
        w.WriteNumberValue(x.Hi);
        w.WriteEndArray();
        w.WriteStartArray("y");
        w.WriteNumberValue(y.Lo);
        w.WriteNumberValue(y.Hi);
        w.WriteEndArray();
        w.WriteEndObject();
        foreach (var axis in "xyz")
        {
            w.WriteStartObject(axis + "axis");
            WriteScale(w, a, axis);
            w.WriteBoolean("showgrid", true); // 3-D views read poorly without their grid
            w.WriteEndObject();
        }
        // The camera looks from MATLAB's view: azimuth from the -y axis towards +x, elevation above the xy plane.
        var view = a.Numbers("view");
        if (view.Length == 2 && view.All(double.IsFinite))
        {
            var (az, el) = (view[0] * Math.PI / 180, view[1] * Math.PI / 180);
            const double r = 2.2;
            w.WriteStartObject("camera");
            w.WriteStartObject("eye");
            w.WriteNumber("x", Math.Round(r * Math.Cos(el) * Math.Sin(az), 4));
            w.WriteNumber("y", Math.Round(-r * Math.Cos(el) * Math.Cos(az), 4));
            w.WriteNumber("z", Math.Round(r * Math.Sin(el), 4));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>barmode and bargap from the first bar: stacked bars stack, grouped bars sit side by side.</summary>
    private static void WriteBarLayout(Utf8JsonWriter w, JsonElement[] axes)
    {
        var bars = axes.SelectMany(a => a.Items("series")).Where(s => s.Text("kind") == "bar").ToArray();
        if (bars.Length == 0)
            return;
        w.WriteString("barmode", bars.Any(b => b.Text("barlayout") == "stacked") ? "stack" : "group");
        var width = bars[0].Number("barwidth", 0.8);
        if (double.IsFinite(width))
            w.WriteNumber("bargap", Math.Round(Math.Clamp(1 - width, 0, 0.9), 3));
    }
}
