using System.Text.Json;

namespace MatlabMcp.Output.Figures;

/// <summary>
/// Reads the figure description tolerantly. jsonencode writes a 1-element vector as a bare number, an empty one as
/// <c>[]</c>, a matrix as an array of rows and NaN/Inf as null; a missing or mistyped field reads as its default, so
/// an odd figure loses that detail instead of failing the whole conversion.
/// </summary>
internal static class PlotlyDescription
{
    public static string Text(this JsonElement e, string name, string fallback = "") =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString() ?? fallback
            : fallback;

    public static double Number(this JsonElement e, string name, double fallback = double.NaN) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? AsNumber(v, fallback) : fallback;

    public static bool Flag(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.Number => v.GetDouble() != 0,
            JsonValueKind.Array => v.GetArrayLength() > 0 && AsNumber(v[0], 0) != 0,
            _ => false,
        };

    /// <summary>The field if present (any kind); <see cref="JsonValueKind.Undefined"/> otherwise.</summary>
    public static JsonElement Field(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;

    /// <summary>The elements of a JSON array field, or of a single object/value written bare by jsonencode.</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement e, string name)
    {
        var v = e.Field(name);
        if (v.ValueKind == JsonValueKind.Array)
            return v.EnumerateArray();
        return v.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? [] : [v];
    }

    /// <summary>A numeric vector field flattened (a matrix reads row by row); null stands for NaN.</summary>
    public static double[] Numbers(this JsonElement e, string name) => Flatten(e.Field(name));

    public static double[] Flatten(JsonElement v)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.Number:
                return [v.GetDouble()];
            case JsonValueKind.Null:
                return [double.NaN];
            case JsonValueKind.Array:
                var list = new List<double>(v.GetArrayLength());
                Append(v, list);
                return [.. list];
            default:
                return [];
        }
    }

    private static void Append(JsonElement v, List<double> list)
    {
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
                Append(item, list);
            else
                list.Add(AsNumber(item, double.NaN));
        }
    }

    /// <summary>A matrix field as rows; a flat vector reads as one row, a bare number as a 1×1 matrix.</summary>
    public static double[][] Matrix(this JsonElement e, string name)
    {
        var v = e.Field(name);
        if (v.ValueKind != JsonValueKind.Array)
            return v.ValueKind is JsonValueKind.Number or JsonValueKind.Null ? [[AsNumber(v, double.NaN)]] : [];
        if (v.GetArrayLength() == 0)
            return [];
        if (v[0].ValueKind != JsonValueKind.Array)
            return [Flatten(v)];
        return [.. v.EnumerateArray().Select(Flatten)];
    }

    /// <summary>The count of values a field holds (vectors flat, matrices all elements).</summary>
    public static int Count(this JsonElement e, string name)
    {
        var v = e.Field(name);
        return v.ValueKind switch
        {
            JsonValueKind.Array => v.GetArrayLength() > 0 && v[0].ValueKind == JsonValueKind.Array
                ? v.EnumerateArray().Sum(r => r.ValueKind == JsonValueKind.Array ? r.GetArrayLength() : 1)
                : v.GetArrayLength(),
            JsonValueKind.Number or JsonValueKind.Null => 1,
            _ => 0,
        };
    }

    private static double AsNumber(JsonElement v, double fallback) => v.ValueKind switch
    {
        JsonValueKind.Number => v.GetDouble(),
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        JsonValueKind.Array when v.GetArrayLength() == 1 => AsNumber(v[0], fallback),
        JsonValueKind.Null => double.NaN,
        _ => fallback,
    };

    /// <summary>
    /// Writes a vector field as a flat JSON array: arrays are copied as they are (nulls included), a bare number is
    /// wrapped, a matrix is flattened row by row.
    /// </summary>
    public static void WriteVector(this Utf8JsonWriter w, string property, JsonElement e, string name)
    {
        var v = e.Field(name);
        w.WritePropertyName(property);
        if (v.ValueKind == JsonValueKind.Array && (v.GetArrayLength() == 0 || v[0].ValueKind != JsonValueKind.Array))
        {
            v.WriteTo(w);
            return;
        }
        WriteNumbers(w, Flatten(v));
    }

    public static void WriteNumbers(Utf8JsonWriter w, ReadOnlySpan<double> values)
    {
        w.WriteStartArray();
        foreach (var x in values)
        {
            if (double.IsFinite(x))
                w.WriteNumberValue(x);
            else
                w.WriteNullValue(); // JSON has no NaN or Inf: plotly draws a gap
        }
        w.WriteEndArray();
    }

    public static void WriteMatrix(Utf8JsonWriter w, string property, double[][] rows)
    {
        w.WritePropertyName(property);
        w.WriteStartArray();
        foreach (var row in rows)
            WriteNumbers(w, row);
        w.WriteEndArray();
    }
}
