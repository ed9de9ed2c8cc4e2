using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MatlabMcp.Configuration;

/// <summary>One tool of custom_tools.file: an MCP tool that calls <see cref="Function"/> (a .m file in <see cref="Folder"/>).</summary>
/// <param name="Folder">The folder holding the function's .m files, absolute (mounted read-only into engines).</param>
/// <param name="Parameters">In the order written: the order the function receives them.</param>
internal sealed record CustomToolDefinition(string Name, string Function, string Folder, string Description,
    IReadOnlyList<CustomToolParameter> Parameters);

/// <summary>A parameter: its type (<see cref="CustomToolTypes.All"/>), its description, and its default (which makes it optional).</summary>
internal sealed record CustomToolParameter(string Name, string Type, string Description, bool Required, JsonElement? Default);

/// <summary>
/// Reads custom_tools.file, a YAML file whose <c>tools:</c> list has one entry per tool (name, function, path, description,
/// parameters). Read with the YAML representation model, not reflection, so the AOT binary reads it the same. Every
/// problem is reported at once, each naming the entry and what is wrong, and the server refuses to start on any.
/// Names clashing with the server's own tools are checked when the tools are registered (Endpoints/CustomTools).
/// </summary>
internal static partial class CustomToolsFile
{
    /// <summary>Keys a tool entry takes; anything else is a typo the operator should hear about.</summary>
    private static readonly string[] EntryKeys = ["name", "function", "path", "description", "parameters"];
    private static readonly string[] RequiredEntryKeys = ["name", "function", "path", "description"];
    private static readonly string[] ParameterKeys = ["type", "description", "required", "default"];

    /// <summary>Parameters every custom tool takes besides its own: a custom parameter may not take these names.</summary>
    public static readonly IReadOnlyList<string> StandardParameters = ["session", "timeout_seconds", "wait_seconds"];

    /// <summary>A big file here is a mistake (a data file named by accident), not a tool list.</summary>
    private const long MaxFileBytes = 1024 * 1024;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex ToolName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Identifier();

    /// <summary>The tools of <paramref name="path"/>, and what is wrong with it (empty when nothing is).</summary>
    public static (IReadOnlyList<CustomToolDefinition> Tools, IReadOnlyList<string> Errors) Load(string path)
    {
        var errors = new List<string>();
        var tools = new List<CustomToolDefinition>();
        var full = Path.GetFullPath(path);
        var prefix = $"custom_tools.file ({full})";
        if (!File.Exists(full))
            return ([], [$"{prefix} does not exist."]);
        if (new FileInfo(full).Length > MaxFileBytes)
            return ([], [$"{prefix} is larger than 1 MB; it should hold only the tools: list."]);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(full)));
        }
        catch (YamlException e)
        {
            return ([], [$"{prefix} is not valid YAML (line {e.Start.Line}): {e.Message}"]);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            return ([], [$"{prefix} must be a mapping with a tools: list."]);
        foreach (var key in root.Children.Keys.Select(Text).Where(k => k != "tools"))
            errors.Add($"{prefix}: unknown key '{key}' (the file takes only tools:).");
        if (!root.Children.TryGetValue(new YamlScalarNode("tools"), out var list) || list is not YamlSequenceNode entries)
            return ([], [.. errors, $"{prefix} must have a tools: list (one entry per tool)."]);
        var folder = Path.GetDirectoryName(full)!;
        var index = 0;
        foreach (var node in entries)
        {
            index++;
            var entryErrors = new List<string>();
            var tool = Entry(node, index, folder, entryErrors);
            errors.AddRange(entryErrors.Select(e => $"{prefix}: {e}"));
            if (tool is not null && entryErrors.Count == 0)
                tools.Add(tool);
        }
        // Between entries, case-insensitively: clients that fold case would otherwise call the wrong one.
        foreach (var clash in tools.GroupBy(t => t.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"{prefix}: tool '{clash.Key}' is defined {clash.Count()} times; each tool needs a name of its own.");
        return (tools, errors);
    }

    private static CustomToolDefinition? Entry(YamlNode node, int index, string yamlFolder, List<string> errors)
    {
        if (node is not YamlMappingNode entry)
        {
            errors.Add($"tools entry {index} must be a mapping (name:, function:, path:, description:, parameters:).");
            return null;
        }
        var name = Scalar(entry, "name");
        var who = name is { Length: > 0 } ? $"tool '{name}' (entry {index})" : $"tools entry {index}";
        foreach (var key in entry.Children.Keys.Select(Text).Where(k => !EntryKeys.Contains(k)))
            errors.Add($"{who}: unknown key '{key}'; an entry takes {string.Join(", ", EntryKeys)}.");
        foreach (var key in RequiredEntryKeys.Where(k => string.IsNullOrWhiteSpace(Scalar(entry, k))))
            errors.Add($"{who}: '{key}' is missing (or not a text value).");
        var function = Scalar(entry, "function");
        var path = Scalar(entry, "path");
        var description = Scalar(entry, "description");
        if (name is { Length: > 0 } && !ToolName().IsMatch(name))
            errors.Add($"{who}: the name must start with a letter and hold only letters, digits, '_' and '-' (at most 64 characters).");
        if (function is { Length: > 0 } && !Identifier().IsMatch(function))
            errors.Add($"{who}: function '{function}' is not a MATLAB function name (a letter, then letters, digits and '_', at most 63).");
        else if (function is { Length: > 0 } && function.StartsWith("mcp_bridge", StringComparison.OrdinalIgnoreCase))
            errors.Add($"{who}: function '{function}' names the server's own bridge (mcp_bridge*); a custom tool calls a function of its own.");
        string? folder = null;
        if (path is { Length: > 0 })
        {
            folder = Path.GetFullPath(Path.Combine(yamlFolder, path));
            if (!Directory.Exists(folder))
                errors.Add($"{who}: path '{path}' is not a folder (it is taken relative to the YAML file: {folder}).");
            else if (folder.TrimEnd('/').Length == 0)
                errors.Add($"{who}: path '/' would give engines the whole machine; name the folder holding the tool's .m files.");
            else if (function is { Length: > 0 } && Identifier().IsMatch(function) && !File.Exists(Path.Combine(folder, function + ".m")))
                errors.Add($"{who}: function '{function}' has no file {function}.m in {folder}.");
        }
        var parameters = new List<CustomToolParameter>();
        if (entry.Children.TryGetValue(new YamlScalarNode("parameters"), out var declared) && !IsEmpty(declared))
        {
            if (declared is not YamlMappingNode mapping)
                errors.Add($"{who}: parameters must be a mapping from each parameter's name to its type:, description:, required:, default:.");
            else
                foreach (var (key, value) in mapping.Children)
                    if (Parameter(Text(key), value, who, errors) is { } parameter)
                        parameters.Add(parameter);
        }
        return name is null || function is null || folder is null || description is null
            ? null : new CustomToolDefinition(name, function, folder, description.Trim(), parameters);
    }

    private static CustomToolParameter? Parameter(string name, YamlNode node, string who, List<string> errors)
    {
        var where = $"{who}: parameter '{name}'";
        var before = errors.Count;
        if (!Identifier().IsMatch(name))
            errors.Add($"{where}: a name must start with a letter and hold only letters, digits and '_'.");
        else if (StandardParameters.Contains(name))
            errors.Add($"{where}: every custom tool already takes {string.Join(", ", StandardParameters)}; choose another name.");
        if (node is not YamlMappingNode spec)
        {
            errors.Add($"{where} must be a mapping with type: (and optionally description:, required:, default:).");
            return null;
        }
        foreach (var key in spec.Children.Keys.Select(Text).Where(k => !ParameterKeys.Contains(k)))
            errors.Add($"{where}: unknown key '{key}'; a parameter takes {string.Join(", ", ParameterKeys)}.");
        var type = Scalar(spec, "type");
        if (string.IsNullOrWhiteSpace(type))
            errors.Add($"{where}: 'type' is missing; one of {string.Join(", ", CustomToolTypes.All)}.");
        else if (!CustomToolTypes.All.Contains(type))
            errors.Add($"{where}: unknown type '{type}'; one of {string.Join(", ", CustomToolTypes.All)}.");
        bool? required = null;
        if (Scalar(spec, "required") is { } flag)
        {
            if (bool.TryParse(flag, out var value))
                required = value;
            else
                errors.Add($"{where}: required must be true or false, not '{flag}'.");
        }
        JsonElement? fallback = null;
        if (spec.Children.TryGetValue(new YamlScalarNode("default"), out var given) && type is not null && CustomToolTypes.All.Contains(type))
        {
            fallback = ToJson(given, type);
            if (CustomToolTypes.Problem(fallback.Value, type) is { } problem)
                errors.Add($"{where}: the default {problem}.");
            if (required == true)
                errors.Add($"{where}: a default makes a parameter optional; drop required: true or the default.");
        }
        if (errors.Count > before || type is null)
            return null;
        return new CustomToolParameter(name, type, Scalar(spec, "description")?.Trim() ?? "", required ?? fallback is null, fallback);
    }

    /// <summary>
    /// A YAML default as JSON, read as its declared type: a scalar is a number, a flag or text as the type wants (so
    /// <c>default: 2</c> of a string is "2"); inside a cell or a struct, plain scalars read as YAML reads them.
    /// </summary>
    internal static JsonElement ToJson(YamlNode node, string type)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, node, type);
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node, string type)
    {
        switch (node)
        {
            case YamlSequenceNode sequence:
                var element = type switch { "double[]" => "double", "double[][]" => "double[]", "string[]" => "string", _ => "" };
                writer.WriteStartArray();
                foreach (var child in sequence)
                    Write(writer, child, element);
                writer.WriteEndArray();
                break;
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, child) in mapping.Children)
                {
                    writer.WritePropertyName(Text(key));
                    Write(writer, child, "");
                }
                writer.WriteEndObject();
                break;
            case YamlScalarNode scalar:
                var text = scalar.Value ?? "";
                var plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;
                if (type == "string" || !plain)
                    writer.WriteStringValue(text);
                else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                    && type is not "logical")
                    writer.WriteNumberValue(number);
                else if (bool.TryParse(text, out var flag) && type is not ("double" or "int"))
                    writer.WriteBooleanValue(flag);
                else if (text is "" or "~" or "null" && type == "")
                    writer.WriteNullValue();
                else
                    writer.WriteStringValue(text);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { } value } ? value : null;

    private static bool IsEmpty(YamlNode node) => node is YamlScalarNode { Value: null or "" or "~" or "null" };

    private static string Text(YamlNode node) => node is YamlScalarNode { Value: { } value } ? value : node.ToString();
}
