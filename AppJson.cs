using System.Text.Json;
using System.Text.Json.Serialization;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using ModelContextProtocol;

namespace MatlabMcp;

/// <summary>Every type the server serialises, generated at compile time (trim/AOT-safe).</summary>
[JsonSerializable(typeof(ExecutionReport))]
[JsonSerializable(typeof(WorkspaceReport))]
[JsonSerializable(typeof(VariableValueReport))]
[JsonSerializable(typeof(SessionListReport))]
[JsonSerializable(typeof(JobStatusReport))]
[JsonSerializable(typeof(JobListReport))]
[JsonSerializable(typeof(AuditReport))]
[JsonSerializable(typeof(CodeIssuesReport))]
[JsonSerializable(typeof(JobState))]
[JsonSerializable(typeof(double?))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Output.Code.SectionListReport))]
[JsonSerializable(typeof(TestRunReport))]
[JsonSerializable(typeof(EngineTestResults))]
[JsonSerializable(typeof(MatlabMcp.Endpoints.TestRunSpec))]
internal sealed partial class AppJson : JsonSerializerContext
{
    /// <summary>The SDK's resolver first (its own contract), then ours.</summary>
    public static JsonSerializerOptions ToolOptions => s_toolOptions ??= CreateToolOptions();

    private static JsonSerializerOptions? s_toolOptions;

    private static JsonSerializerOptions CreateToolOptions()
    {
        var options = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions);
        options.TypeInfoResolverChain.Add(Default);
        options.MakeReadOnly();
        return options;
    }
}
