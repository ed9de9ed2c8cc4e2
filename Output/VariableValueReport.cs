using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MatlabMcp.Output;

/// <summary>
/// get_variable's result: one workspace variable's value as JSON (MATLAB's jsonencode conventions, see
/// matlab/private/mcp_bridge_variable.m), its class and full size, and what a budget left out. Complete on its own:
/// some clients show the model only this structured form.
/// </summary>
internal sealed record VariableValueReport
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("class")] public required string Class { get; init; }

    /// <summary>The full size, whatever was returned.</summary>
    [JsonPropertyName("size")] public required IReadOnlyList<long> Size { get; init; }

    /// <summary>True when the value is not all there: <see cref="Cuts"/> says where and why.</summary>
    [JsonPropertyName("truncated")] public required bool Truncated { get; init; }

    /// <summary>Numbers, booleans, strings and empty values in <see cref="Value"/>, counted against max_elements across the nesting.</summary>
    [JsonPropertyName("elements_returned")] public required long ElementsReturned { get; init; }

    /// <summary>Any JSON. The description also makes its schema an object: a bare <c>true</c> schema is refused by some clients.</summary>
    [JsonPropertyName("value"), Description("The value as JSON (MATLAB's jsonencode conventions).")]
    public required JsonElement Value { get; init; }

    /// <summary>Each place the value was cut (the first 20), absent when nothing was.</summary>
    [JsonPropertyName("cuts"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<VariableValueCut>? Cuts { get; init; }

    /// <summary>Cuts beyond those listed.</summary>
    [JsonPropertyName("cuts_not_listed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long CutsNotListed { get; init; }

    /// <summary>What the caller should know about this answer (a lowered budget, a restarted session).</summary>
    [JsonPropertyName("notice"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Notice { get; init; }
}

/// <summary>
/// One place a value was cut: where (as MATLAB writes it, e.g. <c>s.data{3}</c>), its class and full size, how many
/// elements (or characters, for a string) were returned, and why: <c>elements</c> (max_elements spent),
/// <c>characters</c> (the text budget spent), <c>depth</c> (nested too deep to open) or a class that is not encoded.
/// </summary>
internal sealed record VariableValueCut(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("class")] string Class,
    [property: JsonPropertyName("size")] IReadOnlyList<long> Size,
    [property: JsonPropertyName("returned")] long Returned,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>
/// The rule a variable name must pass before it travels to an engine (the bridge checks it again): a MATLAB
/// identifier, which cannot be anything but a name, so nothing the caller writes is ever run as code.
/// </summary>
internal static class VariableNames
{
    /// <summary>namelengthmax in MATLAB and Octave.</summary>
    public const int MaxLength = 63;

    // iskeyword() of MATLAB and of Octave 7: neither can name a variable.
    private static readonly HashSet<string> Keywords =
    [
        "break", "case", "catch", "classdef", "continue", "do", "else", "elseif", "end", "end_try_catch",
        "end_unwind_protect", "endarguments", "endclassdef", "endenumeration", "endevents", "endfor", "endfunction",
        "endif", "endmethods", "endparfor", "endproperties", "endspmd", "endswitch", "endwhile", "for", "function",
        "global", "if", "otherwise", "parfor", "persistent", "return", "spmd", "switch", "try", "until",
        "unwind_protect", "unwind_protect_cleanup", "while",
    ];

    /// <summary>Why <paramref name="name"/> cannot be a variable's name, or null when it can.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return "Give the name of a variable (get_workspace lists them).";
        if (name.Length > MaxLength)
            return $"\"{Shown(name)}\" is not a variable name: names are at most {MaxLength} characters.";
        if (!char.IsAsciiLetter(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            return $"\"{Shown(name)}\" is not a variable name: a name is a letter followed by letters, digits or underscores. " +
                "Give the variable alone (not an expression, field or index); get_workspace lists them.";
        if (Keywords.Contains(name))
            return $"\"{name}\" is a keyword, not a variable name.";
        return null;
    }

    /// <summary>Enough of a refused name to recognise it, escaped: it is the caller's text, quoted back.</summary>
    private static string Shown(string name) => ClientText.Escape(name.Length <= 40 ? name : name[..40] + "…");
}
