using System.Text.Json;

namespace MatlabMcp.Configuration;

/// <summary>
/// The parameter types a custom tool declares (custom_tools.file), and whether a JSON value fits one: the same check
/// for a default in the YAML file at start and for an agent's argument on every call. The bridge converts each type
/// (matlab/private/mcp_bridge_call.m; the names are Pool/EngineCall.Types), trusting this check for the shape.
/// </summary>
internal static class CustomToolTypes
{
    /// <summary>Every type, in the order the documentation lists them.</summary>
    public static readonly IReadOnlyList<string> All =
        ["double", "double[]", "double[][]", "int", "logical", "string", "string[]", "cell", "struct"];

    /// <summary>Whole numbers beyond this lose their last digits as doubles; refused as an int rather than silently changed.</summary>
    private const double LargestExactInt = 9_007_199_254_740_992; // 2^53

    /// <summary>What the type takes, in words an agent reads in an error.</summary>
    public static string Describe(string type) => type switch
    {
        "double" => "a number",
        "double[]" => "an array of numbers",
        "double[][]" => "a matrix: an array of rows, each an array of numbers of the same length",
        "int" => "a whole number",
        "logical" => "true or false",
        "string" => "a string",
        "string[]" => "an array of strings",
        "cell" => "an array (of any values)",
        "struct" => "an object",
        _ => $"a value of type {type}",
    };

    /// <summary>Why <paramref name="value"/> is not a <paramref name="type"/>, or null when it is.</summary>
    public static string? Problem(JsonElement value, string type)
    {
        var kind = value.ValueKind;
        var fits = type switch
        {
            "double" or "int" => kind == JsonValueKind.Number,
            "logical" => kind is JsonValueKind.True or JsonValueKind.False,
            "string" => kind == JsonValueKind.String,
            "double[]" or "double[][]" or "string[]" or "cell" => kind == JsonValueKind.Array,
            "struct" => kind == JsonValueKind.Object,
            _ => false,
        };
        if (!fits)
            return $"must be {Describe(type)} ({type}), not {Name(value)}";
        if (kind == JsonValueKind.Number && !IsFinite(value))
            return $"must be a finite number that fits a double, not {Shown(value)}";
        switch (type)
        {
            case "int" when Math.Floor(value.GetDouble()) != value.GetDouble() || Math.Abs(value.GetDouble()) > LargestExactInt:
                return $"must be a whole number (int), not {Shown(value)}";
            case "double[]":
                return Elements(value, JsonValueKind.Number, "a number");
            case "string[]":
                return Elements(value, JsonValueKind.String, "a string");
            case "double[][]":
                var row = 0;
                var width = -1;
                foreach (var r in value.EnumerateArray())
                {
                    row++;
                    if (r.ValueKind != JsonValueKind.Array)
                        return $"row {row} must be an array of numbers, not {Name(r)} (a double[][] is an array of rows)";
                    if (Elements(r, JsonValueKind.Number, "a number") is { } bad)
                        return $"row {row}: {bad}";
                    if (width >= 0 && r.GetArrayLength() != width)
                        return $"is a ragged matrix: row 1 has {width} numbers, row {row} has {r.GetArrayLength()}; every row must have the same length";
                    width = r.GetArrayLength();
                }
                return null;
            default:
                return null;
        }
    }

    private static string? Elements(JsonElement array, JsonValueKind kind, string what)
    {
        var k = 0;
        foreach (var e in array.EnumerateArray())
        {
            k++;
            if (e.ValueKind != kind)
                return $"element {k} must be {what}, not {Name(e)}";
            if (kind == JsonValueKind.Number && !IsFinite(e))
                return $"element {k} must be a finite number that fits a double, not {Shown(e)}";
        }
        return null;
    }

    /// <summary>A JSON number a double holds (1e400 parses, as infinity, which the engine would receive as Inf).</summary>
    public static bool IsFinite(JsonElement number) => number.TryGetDouble(out var d) && double.IsFinite(d);

    private static string Shown(JsonElement number) => number.GetRawText() is { Length: <= 32 } text ? text : "a number that long";

    /// <summary>What a JSON value is, for "not ..." in a message (never the value itself: it may be long).</summary>
    public static string Name(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
