using System.Text.Json;
using System.Text.Json.Serialization;

namespace MatlabMcp.Pool;

/// <summary>
/// A function the engine calls with arguments that travel as data: each value is decoded from JSON on its own in the
/// engine (matlab/private/mcp_bridge_call.m) and converted to its declared type, so no value is ever read as code.
/// </summary>
/// <param name="Function">A function name on the engine's path, or one of the bridge's private helpers (mcp_bridge_*).</param>
/// <param name="Outputs">How many outputs to ask for; -1 takes as many as the function declares (1 when it cannot say).</param>
internal sealed record EngineCall(string Function, IReadOnlyList<EngineArgument> Args, int Outputs = -1)
{
    /// <summary>The types an argument may declare; "" keeps jsondecode's own conventions.</summary>
    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal)
        { "", "double", "double[]", "double[][]", "int", "logical", "string", "string[]", "cell", "struct" };

    /// <summary>The frame's form: arguments as an object a1..an, so that each is decoded alone (an array would merge them).</summary>
    public BridgeCall ToFrame() => new(Function,
        Args.Select((a, k) => (a, k)).ToDictionary(p => $"a{p.k + 1}", p => p.a.Value, StringComparer.Ordinal),
        [.. Args.Select(a => a.Type)], Outputs);
}

/// <summary>One argument: its JSON value and the MATLAB type it becomes (see <see cref="EngineCall.Types"/>).</summary>
internal sealed record EngineArgument(JsonElement Value, string Type = "");

/// <summary>The call as the bridge reads it.</summary>
internal sealed record BridgeCall(
    [property: JsonPropertyName("name")] string Function,
    [property: JsonPropertyName("args")] Dictionary<string, JsonElement> Args,
    [property: JsonPropertyName("types")] List<string> Types,
    [property: JsonPropertyName("nargout")] int Nargout);
