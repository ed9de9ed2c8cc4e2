using System.Buffers;
using System.Text;
using System.Text.Json;
using MatlabMcp.Configuration;

namespace MatlabMcp.Endpoints.CustomTools;

/// <summary>What an agent sees of a custom tool (its input schema) and what the policy and audit see of a call (its text).</summary>
internal static class CustomToolSchema
{
    /// <summary>
    /// The tool's JSON Schema: each parameter with its JSON type (a MATLAB double[][] is an array of arrays of numbers),
    /// description and default, in the order written, then the standard session, timeout_seconds and wait_seconds.
    /// Written with Utf8JsonWriter: no reflection.
    /// </summary>
    public static JsonElement Input(CustomToolDefinition tool)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "object");
            w.WriteStartObject("properties");
            foreach (var p in tool.Parameters)
            {
                w.WriteStartObject(p.Name);
                WriteType(w, p.Type);
                w.WriteString("description", Describe(p));
                if (p.Default is { } fallback)
                {
                    w.WritePropertyName("default");
                    fallback.WriteTo(w);
                }
                w.WriteEndObject();
            }
            Standard(w, "session", "string", CodeTools.SessionHelp);
            Standard(w, "timeout_seconds", "number", "Seconds the call may run in total before it is interrupted (optional; server default applies).");
            Standard(w, "wait_seconds", "number", CodeTools.WaitHelp);
            w.WriteEndObject();
            w.WriteStartArray("required");
            foreach (var p in tool.Parameters.Where(p => p.Required))
                w.WriteStringValue(p.Name);
            w.WriteEndArray();
            w.WriteBoolean("additionalProperties", false);
            w.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>A parameter's description, with what MATLAB receives: the schema says JSON, the function sees a class.</summary>
    private static string Describe(CustomToolParameter p)
    {
        var matlab = p.Type switch
        {
            "double" => "a double scalar",
            "double[]" => "a double row vector",
            "double[][]" => "a double matrix, given as an array of equal-length rows",
            "int" => "a whole number (a double holding an integer)",
            "logical" => "a logical scalar",
            "string" => "a char row vector",
            "string[]" => "a cell row of char vectors",
            "cell" => "a cell row",
            "struct" => "a struct",
            _ => p.Type,
        };
        return p.Description.Length == 0 ? $"MATLAB receives {matlab}." : $"{p.Description} (MATLAB receives {matlab}.)";
    }

    private static void WriteType(Utf8JsonWriter w, string type)
    {
        switch (type)
        {
            case "double": w.WriteString("type", "number"); break;
            case "int": w.WriteString("type", "integer"); break;
            case "logical": w.WriteString("type", "boolean"); break;
            case "string": w.WriteString("type", "string"); break;
            case "struct": w.WriteString("type", "object"); break;
            case "cell": w.WriteString("type", "array"); break;
            case "double[]" or "string[]":
                w.WriteString("type", "array");
                w.WriteStartObject("items");
                w.WriteString("type", type == "double[]" ? "number" : "string");
                w.WriteEndObject();
                break;
            case "double[][]":
                w.WriteString("type", "array");
                w.WriteStartObject("items");
                w.WriteString("type", "array");
                w.WriteStartObject("items");
                w.WriteString("type", "number");
                w.WriteEndObject();
                w.WriteEndObject();
                break;
        }
    }

    private static void Standard(Utf8JsonWriter w, string name, string type, string description)
    {
        w.WriteStartObject(name);
        w.WriteString("type", type);
        w.WriteString("description", description);
        w.WriteEndObject();
    }

    /// <summary>
    /// The call as the code policy checks it, the audit records it and an approver reads it: the function and, per
    /// argument, a number or flag as itself and anything else by its type and size. A value never appears as code text:
    /// it travels as data, and a string like <c>'); system('id')</c> must not make the policy see a call that never happens.
    /// The function's own file is the operator's code (custom_tools.file), not the agent's, so it is not checked here.
    /// </summary>
    public static string CallText(CustomToolDefinition tool, IReadOnlyList<(string Name, JsonElement? Value)> args)
    {
        var text = new StringBuilder($"% custom tool '{tool.Name}': the arguments travel as data, not as code\n{tool.Function}(");
        for (var k = 0; k < args.Count; k++)
        {
            if (k > 0)
                text.Append(", ");
            var (name, value) = args[k];
            text.Append('<').Append(name).Append(": ").Append(value is { } v ? Summary(v) : "[] (not given)").Append('>');
        }
        return text.Append(')').ToString();
    }

    private static string Summary(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetRawText() is { Length: <= 32 } number ? number : "a long number",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.String => $"string, {value.GetString()!.Length} characters",
        JsonValueKind.Object => $"struct, {value.EnumerateObject().Count()} fields",
        JsonValueKind.Array when value.GetArrayLength() > 0 && value[0].ValueKind == JsonValueKind.Array =>
            $"{value.GetArrayLength()}x{value[0].GetArrayLength()} matrix",
        JsonValueKind.Array => $"array, {value.GetArrayLength()} values",
        _ => "null",
    };
}
