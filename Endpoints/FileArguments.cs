using System.Text.Json;
using MatlabMcp.Pool;

namespace MatlabMcp.Endpoints;

/// <summary>
/// run_file's args: a JSON array whose items become the function's arguments, each declared with the type a MATLAB user
/// would write it as (a JSON array [1,2,3] a row vector, not jsondecode's column), and sent as data (see <see cref="EngineCall"/>).
/// </summary>
internal static class FileArguments
{
    /// <summary>The arguments, or an empty list and <paramref name="problem"/> for the agent.</summary>
    public static IReadOnlyList<EngineArgument> Parse(JsonElement? args, int maxChars, out string? problem)
    {
        problem = null;
        if (args is not { } value || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return [];
        // Some clients send a JSON value as a string: accept an array written out, nothing else.
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { } written && written.TrimStart().StartsWith('['))
        {
            if (written.Length > maxChars)
                return TooLong(written.Length, maxChars, out problem);
            try
            {
                value = JsonDocument.Parse(written).RootElement.Clone();
            }
            catch (JsonException)
            {
                problem = "args is not valid JSON: pass a JSON array such as [1, \"text\"].";
                return [];
            }
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            problem = "args must be a JSON array of the function's arguments, such as [1, \"text\"] (one argument: [x]).";
            return [];
        }
        var length = value.GetRawText().Length;
        if (length > maxChars)
            return TooLong(length, maxChars, out problem);
        return [.. value.EnumerateArray().Select(a => new EngineArgument(a.Clone(), TypeOf(a)))];
    }

    private static IReadOnlyList<EngineArgument> TooLong(int length, int maxChars, out string? problem)
    {
        problem = $"args is {length:N0} characters of JSON; the limit is {maxChars:N0} (execution.max_code_chars). " +
            "Pass large data through a file (upload_file, then load it in the function).";
        return [];
    }

    /// <summary>The declared type: arrays as rows/matrices/cellstr rows/cell rows, objects as structs, scalars as jsondecode makes them.</summary>
    private static string TypeOf(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                return "struct";
            case JsonValueKind.Array:
                var items = value.EnumerateArray().ToList();
                if (items.Count == 0)
                    return "double[]";
                if (items.All(i => i.ValueKind == JsonValueKind.Number))
                    return "double[]";
                if (items.All(i => i.ValueKind == JsonValueKind.String))
                    return "string[]";
                if (items.All(i => i.ValueKind == JsonValueKind.Array && i.GetArrayLength() == items[0].GetArrayLength()
                        && i.GetArrayLength() > 0 && i.EnumerateArray().All(x => x.ValueKind == JsonValueKind.Number)))
                    return "double[][]";
                return items.All(i => i.ValueKind is JsonValueKind.True or JsonValueKind.False) ? "" : "cell";
            default:
                return "";
        }
    }
}
