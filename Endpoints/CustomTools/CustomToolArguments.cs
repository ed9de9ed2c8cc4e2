using System.Text.Json;
using MatlabMcp.Configuration;
using MatlabMcp.Pool;

namespace MatlabMcp.Endpoints.CustomTools;

/// <summary>A custom tool call's arguments, checked against the declared types and put in the function's order.</summary>
/// <param name="Args">What the engine receives, in the order the parameters are written (defaults filled in).</param>
/// <param name="Shown">The same, by name, for the call's text (null: an optional parameter left out before a given one).</param>
internal sealed record CustomToolCall(IReadOnlyList<EngineArgument> Args, IReadOnlyList<(string Name, JsonElement? Value)> Shown,
    string? Session, double? TimeoutSeconds, double? WaitSeconds)
{
    /// <summary>What an optional parameter without a default becomes when a later one is given: MATLAB's "not given" [].</summary>
    private static readonly JsonElement Empty = JsonDocument.Parse("[]").RootElement.Clone();

    /// <summary>
    /// Checks every argument (unknown names, missing required ones, wrong types, integers that are not whole, ragged
    /// matrices) and lists every problem at once, each naming its parameter; or reads the call. An optional parameter
    /// without a default that is left out is not passed when nothing after it is given (nargin tells the function), and
    /// is [] when a later one is.
    /// </summary>
    public static string? Read(CustomToolDefinition tool, IDictionary<string, JsonElement>? arguments, out CustomToolCall? call)
    {
        call = null;
        arguments ??= new Dictionary<string, JsonElement>();
        var problems = new List<string>();
        var known = tool.Parameters.Select(p => p.Name).Concat(CustomToolsFile.StandardParameters).ToList();
        foreach (var name in arguments.Keys.Where(k => !known.Contains(k, StringComparer.Ordinal)))
            problems.Add($"unknown parameter '{Clip(name)}'; {tool.Name} takes {string.Join(", ", known)}.");
        var values = new List<(CustomToolParameter Parameter, JsonElement? Value)>();
        foreach (var p in tool.Parameters)
        {
            var given = arguments.TryGetValue(p.Name, out var value) && value.ValueKind != JsonValueKind.Null;
            if (!given && p.Required)
                problems.Add($"missing required parameter '{p.Name}' ({p.Type}).");
            else if (given && CustomToolTypes.Problem(value, p.Type) is { } problem)
                problems.Add($"parameter '{p.Name}' {problem}.");
            values.Add((p, given ? value : p.Default));
        }
        var session = Standard(arguments, "session", JsonValueKind.String, "a string", problems);
        var timeout = Standard(arguments, "timeout_seconds", JsonValueKind.Number, "a number of seconds", problems);
        var wait = Standard(arguments, "wait_seconds", JsonValueKind.Number, "a number of seconds", problems);
        if (problems.Count > 0)
            return $"{tool.Name} was not called:\n- " + string.Join("\n- ", problems);
        var last = values.FindLastIndex(v => v.Value is not null);
        var passed = values.Take(last + 1).ToList();
        call = new CustomToolCall(
            [.. passed.Select(v => v.Value is { } given ? new EngineArgument(given, v.Parameter.Type) : new EngineArgument(Empty))],
            [.. passed.Select(v => (v.Parameter.Name, v.Value))],
            session?.GetString(), timeout?.GetDouble(), wait?.GetDouble());
        return null;
    }

    private static JsonElement? Standard(IDictionary<string, JsonElement> arguments, string name, JsonValueKind kind, string what,
        List<string> problems)
    {
        if (!arguments.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == kind && (kind != JsonValueKind.Number || CustomToolTypes.IsFinite(value)))
            return value;
        problems.Add($"parameter '{name}' must be {what}, not {CustomToolTypes.Name(value)}.");
        return null;
    }

    /// <summary>A name the caller made up, bounded before it is quoted back.</summary>
    private static string Clip(string name) => name.Length <= 64 ? name : name[..64] + "…";
}
