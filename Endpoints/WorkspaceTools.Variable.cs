using System.ComponentModel;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>get_variable: one variable's value as data.</summary>
internal sealed partial class WorkspaceTools
{
    /// <summary>Containers nested deeper than this are named, not opened (a value's own arrays nest below it too).</summary>
    internal const int MaxVariableDepth = 16;

    [McpServerTool(Name = "get_variable", Title = "Read a workspace variable", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(VariableValueReport))]
    [Description("Returns one workspace variable's value as JSON, with its class and full size. MATLAB's jsonencode " +
        "conventions: scalar -> number, vector -> array, matrix -> array of rows, N-d -> nested arrays, struct -> object, " +
        "struct or cell array -> array, char -> string, logical -> true/false, NaN/Inf/-Inf -> \"NaN\"/\"Inf\"/\"-Inf\", " +
        "int64/uint64 beyond 2^53 -> decimal strings, complex -> {\"real\", \"imag\"}, sparse -> {\"rows\", \"columns\", " +
        "\"values\"} (1-based), function handle -> its text, containers.Map -> object, objects -> their public properties. " +
        "A large value is cut (truncated, with cuts saying where); index it with execute_code to see another part.")]
    public async Task<CallToolResult> GetVariableAsync(
        RequestContext<CallToolRequestParams> request,
        [Description("The variable's name as get_workspace lists it: a bare name, no field, index or expression.")] string name,
        [Description(CodeTools.SessionHelp)] string? session = null,
        [Description("Return at most this many elements (numbers, strings, ...), counted across the nesting (optional; " +
            "the default and the most is output.max_variable_elements, 1000 unless configured).")] int? max_elements = null,
        [Description(CodeTools.WaitHelp + " At most 60.")] double? wait_seconds = null,
        CancellationToken cancellationToken = default) =>
        await ReadVariableAsync(CallerIdentity.Of(request.User), session, name, max_elements,
            CodeTools.SessionWait(wait_seconds, MaxWaitSeconds), cancellationToken);

    internal async Task<CallToolResult> ReadVariableAsync(string identity, string? session, string? name, int? maxElements,
        TimeSpan busyWait, CancellationToken cancellationToken)
    {
        // 1. The name is data: refused here unless it is a bare identifier (the bridge checks again).
        if (VariableNames.Problem(name) is { } problem)
            return ResultBuilder.Error(problem);
        if (maxElements is < 1)
            return ResultBuilder.Error("max_elements must be at least 1.");
        var ceiling = output.Value.MaxVariableElements;
        var budget = Math.Min(maxElements ?? ceiling, ceiling);
        var chars = output.Value.MaxOutputChars;
        try
        {
            // 2. The engine reads and encodes within the budgets, slicing before it formats anything.
            using var lease = await sessions.AcquireAsync(identity, session, busyWait, cancellationToken);
            var response = await lease.Engine.SendAsync(id => new BridgeRequest(id, BridgeRequest.Variable,
                Name: name, MaxElements: budget, MaxChars: chars, MaxDepth: MaxVariableDepth)).WaitAsync(cancellationToken);
            if (!response.Ok || response.Variable is not { } frame)
                return ResultBuilder.Error(Refusal(response.Error));
            // 3. The report, complete on its own (clients may show only structured content).
            var notices = new List<string>();
            if (lease.Notice is { } notice)
                notices.Add(notice);
            if (maxElements > ceiling)
                notices.Add($"max_elements is at most {ceiling} (output.max_variable_elements).");
            return VariableResult(name!, frame, notices.Count == 0 ? null : string.Join(' ', notices));
        }
        catch (JsonException)
        {
            return ResultBuilder.Error($"The value of {name} nests too deeply to send as JSON; index into it with execute_code.");
        }
        catch (Exception e) when (e is EngineStartException or EngineDiedException or CapacityException)
        {
            return ResultBuilder.Error($"Could not read the variable: {e.Message}");
        }
    }

    /// <summary>What the bridge said, for the caller: its own message for a missing or refused name, else why reading failed.</summary>
    private static string Refusal(EngineError? error) => error switch
    {
        { Identifier: "mcp:variable:missing" or "mcp:variable:name" } => Capitalised(error.Message) + ".",
        null => "Could not read the variable: the engine gave no value.",
        _ => $"Could not read the variable: {error.Message}",
    };

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>JSON as the model reads it: no \u002B for a plus sign (control characters are still escaped).</summary>
    private static readonly JsonSerializerOptions TextJson = new(AppJson.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static CallToolResult VariableResult(string name, VariableFrame frame, string? notice)
    {
        using var value = JsonDocument.Parse(frame.Json, new JsonDocumentOptions { MaxDepth = 2 * MaxVariableDepth + 16 });
        var report = new VariableValueReport
        {
            Name = name,
            Class = frame.Class,
            Size = [.. frame.Size.Select(d => (long)d)],
            Truncated = frame.Truncated,
            ElementsReturned = (long)frame.Elements,
            Value = value.RootElement.Clone(),
            Cuts = frame.Cuts is { Count: > 0 } cuts
                ? [.. cuts.Select(c => new VariableValueCut(c.Path, c.Class, [.. c.Size.Select(d => (long)d)], (long)c.Returned, c.Reason))]
                : null,
            CutsNotListed = (long)frame.MoreCuts,
            Notice = ClientText.EscapeOrNull(notice),
        };
        var text = JsonSerializer.Serialize(report, (JsonTypeInfo<VariableValueReport>)TextJson.GetTypeInfo(typeof(VariableValueReport)));
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = text }],
            StructuredContent = JsonSerializer.SerializeToElement(report, AppJson.Default.VariableValueReport),
        };
    }
}
