using System.Text.Json;
using System.Text.Json.Serialization;
using MatlabMcp.Output;

namespace MatlabMcp.Pool;

/// <summary>A request to the bridge. Its peer is matlab/mcp_bridge.m (eval) and matlab/private/mcp_bridge_dispatch.m (the rest).</summary>
internal sealed record BridgeRequest(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("code"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null,
    [property: JsonPropertyName("max_variables"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxVariables = null,
    [property: JsonPropertyName("reload"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FunctionFileChanges? Changes = null,
    [property: JsonPropertyName("figures"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FigureSettings? Figures = null,
    [property: JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null,
    [property: JsonPropertyName("max_elements"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxElements = null,
    [property: JsonPropertyName("max_chars"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxChars = null,
    [property: JsonPropertyName("max_depth"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxDepth = null,
    [property: JsonPropertyName("call"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BridgeCall? Call = null)
{
    /// <summary>One line of code, evaluated as text (the cheapest way).</summary>
    public const string Eval = "eval";

    /// <summary>Several lines (Octave), run from a file so that errors carry their line and column (see mcp_bridge_scratch.m).</summary>
    public const string Script = "script";

    public const string Workspace = "workspace";
    public const string Ping = "ping";

    /// <summary>Forget cached functions whose files changed (see <see cref="FunctionFileWatch"/>).</summary>
    public const string Reload = "reload";

    /// <summary>Export and close the open figures (after an interrupt: an eval exports its own, see mcp_bridge_figures.m).</summary>
    public const string ExportFigures = "figures";

    /// <summary>One variable's value as JSON within budgets (see mcp_bridge_variable.m); <see cref="Name"/> is checked as data, never run.</summary>
    public const string Variable = "variable";

    /// <summary>Calls a function with arguments as data (<see cref="EngineCall"/>), inside output brackets like an eval.</summary>
    public const string CallFunction = "call";

    /// <summary>Adds the folder in <see cref="Code"/> (a path, as data) to the engine's path; it stays for the session.</summary>
    public const string AddPath = "addpath";

    /// <summary>The variables a MAT file holds (whos -file), without loading them; the path travels in <see cref="Code"/>, as data.</summary>
    public const string MatFile = "matfile";

    /// <summary>Discovery (see mcp_bridge_help.m): help text, which, toolboxes, one toolbox's functions; <see cref="Name"/> is data.</summary>
    public const string Help = "help", Which = "which", Toolboxes = "toolboxes", Functions = "functions";
}

/// <summary>How the bridge exports the figures a call leaves open (matlab/private/mcp_bridge_figures.m).</summary>
/// <param name="Prefix">File name prefix: figures/&lt;prefix&gt;&lt;n&gt;.png, n from 1 in figure-number order.</param>
internal sealed record FigureSettings(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("prefix")] string Prefix,
    [property: JsonPropertyName("dpi")] int Dpi,
    [property: JsonPropertyName("max_width")] int MaxWidth,
    [property: JsonPropertyName("max_figures")] int MaxFigures,
    [property: JsonPropertyName("max_points")] int MaxPoints);

/// <summary>
/// One exported figure, paths relative to the session folder: the PNG, the SVG (format svg), the figure's description
/// (format plotly), or why it could not be exported. A last entry with only <see cref="Dropped"/> counts figures past
/// output.max_figures, closed unexported.
/// </summary>
internal sealed record BridgeFigure
{
    [JsonPropertyName("file")] public string? File { get; init; }
    [JsonPropertyName("svg")] public string? Svg { get; init; }
    [JsonPropertyName("data")] public JsonElement? Data { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("dropped")] public int Dropped { get; init; }
}

/// <summary>A frame from the bridge: a response to a request id, or an event (id 0).</summary>
internal sealed record BridgeResponse
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("ok")] public bool Ok { get; init; }
    [JsonPropertyName("event")] public string? Event { get; init; }
    [JsonPropertyName("resumed")] public bool Resumed { get; init; }
    [JsonPropertyName("output")] public string? Output { get; init; }
    [JsonPropertyName("error")] public EngineError? Error { get; init; }
    [JsonPropertyName("variables")] public List<VariableInfo>? Variables { get; init; }
    [JsonPropertyName("figures")] public List<BridgeFigure>? Figures { get; init; }
    [JsonPropertyName("variable")] public VariableFrame? Variable { get; init; }
    [JsonPropertyName("discovery")] public JsonElement? Discovery { get; init; }

    /// <summary>A call's outputs (<see cref="BridgeRequest.CallFunction"/>): a JSON array, jsonencode's conventions.</summary>
    [JsonPropertyName("value")] public JsonElement? Value { get; init; }

    [JsonPropertyName("progress")] public double Progress { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }

    public bool IsReady => Event == "ready";
    public bool IsProgress => Event == "progress";
}

/// <summary>
/// The bridge's answer to <see cref="BridgeRequest.Variable"/>: the value as JSON text and what was cut. Counts are
/// doubles because Octave's jsonencode writes large whole numbers as 1000000.0.
/// </summary>
internal sealed record VariableFrame(
    [property: JsonPropertyName("class")] string Class,
    [property: JsonPropertyName("size")] List<double> Size,
    [property: JsonPropertyName("truncated")] bool Truncated,
    [property: JsonPropertyName("elements")] double Elements,
    [property: JsonPropertyName("json")] string Json,
    [property: JsonPropertyName("cuts")] List<VariableCutFrame>? Cuts,
    [property: JsonPropertyName("more_cuts")] double MoreCuts);

internal sealed record VariableCutFrame(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("class")] string Class,
    [property: JsonPropertyName("size")] List<double> Size,
    [property: JsonPropertyName("returned")] double Returned,
    [property: JsonPropertyName("reason")] string Reason);

[JsonSourceGenerationOptions(Converters = [typeof(WholeNumberConverter)])]
[JsonSerializable(typeof(BridgeRequest))]
[JsonSerializable(typeof(BridgeResponse))]
internal sealed partial class BridgeJson : JsonSerializerContext;

/// <summary>
/// Reads a whole number from any JSON number: Octave's jsonencode writes a million and more as 1000000.0, so a variable
/// of a million elements made the frame unreadable, and an unreadable frame ends the engine.
/// </summary>
internal sealed class WholeNumberConverter : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TryGetInt64(out var whole) ? whole : (long)Math.Clamp(reader.GetDouble(), long.MinValue, long.MaxValue);

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
