namespace MatlabMcp.Tests.Browser;

/// <summary>Plotly figures of the kinds an Octave figure converts to, as application/vnd.plotly.v1+json text.</summary>
internal static class SampleFigures
{
    public const string Line = """
        {"data":[{"type":"scatter","mode":"lines","x":[0,1,2,3,4,5],"y":[0,0.84,0.91,0.14,-0.76,-0.96],"name":"sin"}],
         "layout":{"title":{"text":"line"},"xaxis":{"title":{"text":"t"}},"yaxis":{"title":{"text":"sin(t)"}}}}
        """;

    public const string Scatter = """
        {"data":[{"type":"scatter","mode":"markers","x":[1,2,3,4,5,6,7],"y":[3,1,4,1,5,9,2],"marker":{"size":9,"color":"#d62728"}},
                 {"type":"scatter","mode":"markers","x":[1,2,3],"y":[2,7,1],"marker":{"symbol":"square"}}],
         "layout":{"title":{"text":"scatter"},"showlegend":true}}
        """;

    public const string Surface = """
        {"data":[{"type":"surface","z":[[0,1,4,9],[1,2,5,10],[4,5,8,13],[9,10,13,18]],"x":[0,1,2,3],"y":[0,1,2,3],"colorscale":"Viridis"}],
         "layout":{"title":{"text":"surface"},"scene":{"xaxis":{"title":{"text":"x"}},"yaxis":{"title":{"text":"y"}},"zaxis":{"title":{"text":"z"}}}}}
        """;

    public const string Heatmap = """
        {"data":[{"type":"heatmap","z":[[1,20,30],[20,1,60],[30,60,1]],"colorscale":"Jet"}],
         "layout":{"title":{"text":"heatmap (imagesc)"},"yaxis":{"autorange":"reversed"}}}
        """;

    /// <summary>Two axes side by side by domain, as subplot(1,2,k) converts.</summary>
    public const string Subplots = """
        {"data":[{"type":"scatter","mode":"lines","x":[1,2,3],"y":[1,4,9],"xaxis":"x","yaxis":"y"},
                 {"type":"bar","x":[1,2,3],"y":[3,2,1],"xaxis":"x2","yaxis":"y2"}],
         "layout":{"xaxis":{"domain":[0,0.45]},"yaxis":{"domain":[0,1]},
                   "xaxis2":{"domain":[0.55,1],"anchor":"y2"},"yaxis2":{"domain":[0,1],"anchor":"x2"},
                   "title":{"text":"subplot(1,2,k)"}}}
        """;

    /// <summary>A sample by name, so test arguments stay short.</summary>
    public static string ByName(string name) => name switch
    {
        "line" => Line,
        "scatter" => Scatter,
        "surface" => Surface,
        "heatmap" => Heatmap,
        "subplots" => Subplots,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such sample figure"),
    };
}
