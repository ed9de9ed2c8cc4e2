using System.Text.Json.Serialization;

namespace MatlabMcp.Output.Discovery;

/// <summary>
/// get_help as the bridge answers it (matlab/private/mcp_bridge_help.m, op help): the raw help text and its format
/// ("texinfo", "plain text", ...), and for a function MatlabMcp shadows, the original's help beside our note.
/// </summary>
internal sealed record HelpFrame(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("original")] string Original,
    [property: JsonPropertyName("original_format")] string OriginalFormat,
    [property: JsonPropertyName("truncated")] bool Truncated,
    [property: JsonPropertyName("total_chars")] double TotalChars)
{
    /// <summary>The help as plain text: Texinfo converted (<see cref="Texinfo"/>), the original's after our note.</summary>
    public string PlainText(string name)
    {
        var text = Plain(Text, Format).Trim('\n');
        return Original.Length == 0 ? text : $"{text}\n\n--- the original {name} ---\n{Plain(Original, OriginalFormat).Trim('\n')}";
    }

    private static string Plain(string text, string format) => format == "texinfo" ? Texinfo.ToText(text) : text;
}

/// <summary>
/// What a name is in the caller's session. <see cref="Kind"/>: variable, builtin, file, compiled, class, command-line
/// function or "not found". <see cref="Path"/> is relative to the session folder when <see cref="InSession"/>.
/// </summary>
internal sealed record WhichReport
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("path"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Path { get; init; }
    [JsonPropertyName("in_session"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool InSession { get; init; }
    [JsonPropertyName("class"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Class { get; init; }
    [JsonPropertyName("size"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<double>? Size { get; init; }
    /// <summary>The function a variable of the same name hides (kind and path).</summary>
    [JsonPropertyName("shadows"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Shadows { get; init; }
    [JsonPropertyName("note"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Note { get; init; }
}

/// <summary>The engine and its packages (MATLAB: its products), and the folder names list_functions also takes.</summary>
internal sealed record ToolboxesReport(
    [property: JsonPropertyName("toolboxes")] IReadOnlyList<ToolboxEntry> Toolboxes,
    [property: JsonPropertyName("folders")] IReadOnlyList<string> Folders);

internal sealed record ToolboxEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("loaded")] bool Loaded);

/// <summary>One toolbox's function names: <see cref="Total"/> of them, the first ones listed.</summary>
internal sealed record FunctionsReport(
    [property: JsonPropertyName("toolbox")] string Toolbox,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("loaded")] bool Loaded,
    [property: JsonPropertyName("total")] double Total,
    [property: JsonPropertyName("functions")] IReadOnlyList<string> Functions);

/// <summary>A keyword search (lookfor): <see cref="Total"/> matches, the first ones with their one-line summaries.</summary>
internal sealed record FoundFunctionsReport(
    [property: JsonPropertyName("keyword")] string Keyword,
    [property: JsonPropertyName("total")] double Total,
    [property: JsonPropertyName("functions")] IReadOnlyList<FoundFunction> Functions);

internal sealed record FoundFunction(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("summary")] string Summary);

/// <summary>What find_functions asks mcp_bridge_help for, passed as a struct argument (data, never code).</summary>
internal sealed record FindQuery(
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("max_elements")] int MaxElements);

/// <summary>
/// Discovery results, generated at compile time. Counts are doubles because Octave's jsonencode writes a million and
/// more as 1000000.0, which a long refuses.
/// </summary>
[JsonSerializable(typeof(HelpFrame))]
[JsonSerializable(typeof(WhichReport))]
[JsonSerializable(typeof(ToolboxesReport))]
[JsonSerializable(typeof(FunctionsReport))]
[JsonSerializable(typeof(FoundFunctionsReport))]
[JsonSerializable(typeof(FindQuery))]
internal sealed partial class DiscoveryJson : JsonSerializerContext;
