using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MatlabMcp.Output.Figures;

/// <summary>
/// Turns the engine's neutral figure description (matlab/private/mcp_bridge_figure_data.m) into Plotly JSON,
/// <c>{"data":[…],"layout":{…}}</c> in plotly.js 4 vocabulary. The extractor only reads graphics objects; every Plotly
/// decision lives here, where it is typed and tested without an engine.
/// <para><b>Description schema (version 1)</b>, as jsonencode writes it (a 1-element vector may arrive as a bare
/// number, a matrix is an array of rows, NaN/Inf are null; colours are [r g b] in 0..1 or a word such as 'none',
/// 'flat', 'auto'):</para>
/// <code>
/// figure  { version: 1, maxPoints, points (values kept), total (values the figure has), truncated: bool, axes: [axes…] }
/// axes    { position: [left bottom width height] (normalized figure units), title, xlabel, ylabel, zlabel,
///           xscale|yscale|zscale: 'linear'|'log', xdir|ydir|zdir: 'normal'|'reverse', xlim|ylim|zlim: [lo hi],
///           xlimmode|ylimmode|zlimmode: 'auto'|'manual', view: [azimuth elevation] ([0 90] is 2-D), clim: [lo hi],
///           grid: [x y z] bools, visible, colormap: rows of [r g b] in 0..255, legend: bool, colorbar: bool,
///           [xtick + xticklabel, ytick + yticklabel: only when the code set the labels],
///           series: [series…] in plotting order }
/// series  { kind, name (DisplayName), …; when cut: n (values it had), truncated: true, step (grids) }
///   line      x, y, [z], color, linestyle ('-' '--' ':' '-.' 'none'), linewidth (pt), marker, markersize (pt),
///             markerfacecolor, markeredgecolor
///   stairs | stem (+ basevalue) | errorbar (+ ldata, udata, xldata, xudata): as line
///   scatter   x, y, [z], sizedata (pt², one or per point), cdata (triplet, per-point values or per-point triplets),
///             marker, markerfacecolor, markeredgecolor
///   bar       x, y, horizontal, barwidth, barlayout ('grouped'|'stacked'), basevalue, facecolor, edgecolor
///             (MATLAB histogram arrives as a bar of bin centres and counts)
///   area      x, y, basevalue, facecolor, edgecolor
///   surface   x, y (vectors or meshgrid matrices), z (matrix), [c (colour values where they differ from z)], facecolor, edgecolor
///   image     x, y (centres of the first and last pixel), c (m×n values, or m×n×3 truecolour in 0..255), cdatamapping
///   contour   x, y, z, levels, fill, linecolor
///   patch     x, y (vertices × faces), facecolor, edgecolor, [cdata, cdatamapping when the faces are 'flat'/'interp']
///   text      x, y, string (an annotation at data coordinates of a 2-D axes, not a trace)
/// </code>
/// <para><b>Mapping.</b> Each 2-D axes becomes an <c>xaxis{n}</c>/<c>yaxis{n}</c> pair, each 3-D axes (view not
/// [0 90]) a <c>scene{n}</c>, whose domains are the axes' positions, so subplot and tiledlayout grids keep their
/// places and never overlap. Series: line/stairs/stem/errorbar/scatter → <c>scatter</c> (<c>scattergl</c> above
/// <see cref="PlotlyTraces.WebGlThreshold"/> points, <c>scatter3d</c> in a scene); bar → <c>bar</c>; area →
/// <c>scatter</c> in a stackgroup; surface → <c>surface</c> (a <c>heatmap</c> in a 2-D view); image → <c>image</c>
/// (truecolour) or <c>heatmap</c>; contour → <c>contour</c>; a patch of rectangles on one baseline (Octave's hist) →
/// <c>bar</c>, any other patch → filled <c>scatter</c>. The values are the figure's own, so an agent can read them.</para>
/// <para><b>Truncation.</b> When the extractor kept fewer than all values (<c>maxPoints</c> per figure), the layout
/// says so twice: <c>layout.meta = {truncated: true, points, total, maxPoints}</c> for programs and an annotation at
/// the top of the figure for people and agents reading it; each cut trace carries <c>meta = {truncated: true,
/// points: n, [step]}</c>. Lines keep their first points, grids every step-th row and column.</para>
/// <para>Never throws on a description of an unexpected shape: what it cannot read it leaves out.</para>
/// </summary>
internal static class PlotlyFigure
{
    public static string Convert(JsonElement description)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            var axes = description.Items("axes").Where(a => a.ValueKind == JsonValueKind.Object).ToArray();
            var refs = AxisRefs(axes);
            w.WriteStartObject();
            w.WriteStartArray("data");
            for (var i = 0; i < axes.Length; i++)
                foreach (var series in axes[i].Items("series"))
                    PlotlyTraces.Write(w, series, refs[i]);
            w.WriteEndArray();
            PlotlyLayout.Write(w, description, axes, refs);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Names each axes' Plotly home: 2-D axes number the cartesian pairs, 3-D axes the scenes.</summary>
    private static PlotlyAxesRef[] AxisRefs(JsonElement[] axes)
    {
        var refs = new PlotlyAxesRef[axes.Length];
        var (cartesian, scenes) = (0, 0);
        for (var i = 0; i < axes.Length; i++)
        {
            var a = axes[i];
            var colormap = a.Matrix("colormap");
            var clim = a.Numbers("clim");
            var (legend, colorbar) = (a.Flag("legend"), a.Flag("colorbar"));
            var domain = PlotlyLayout.Domain(a.Numbers("position"));
            if (Is3D(a))
            {
                scenes++;
                refs[i] = new PlotlyAxesRef("", "", "scene" + Suffix(scenes), legend, colorbar, colormap, clim) { Domain = domain };
            }
            else
            {
                cartesian++;
                refs[i] = new PlotlyAxesRef("x" + Suffix(cartesian), "y" + Suffix(cartesian), null, legend, colorbar, colormap, clim) { Domain = domain };
            }
        }
        return refs;
    }

    /// <summary>Plotly numbers its second and later axes: x, x2, x3…</summary>
    internal static string Suffix(int n) => n == 1 ? "" : n.ToString(CultureInfo.InvariantCulture);

    /// <summary>MATLAB's 2-D view is azimuth 0, elevation 90; anything else is a 3-D view.</summary>
    internal static bool Is3D(JsonElement axes)
    {
        var view = axes.Numbers("view");
        return view.Length == 2 && (Math.Abs(view[1] - 90) > 1e-9 || Math.Abs(view[0]) > 1e-9);
    }
}
