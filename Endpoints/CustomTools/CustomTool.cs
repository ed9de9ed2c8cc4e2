using MatlabMcp.Configuration;
using MatlabMcp.Execution;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints.CustomTools;

/// <summary>
/// One tool of custom_tools.file: the call's arguments checked against their declared types, then the function called
/// through the bridge with them as data (ExecutionRequest.Call), in the caller's session and exactly as execute_code
/// runs (policy, approval, job, audit, output, figures): <see cref="CodeRunner"/>. The result is the function's outputs as
/// JSON ("Returned: [...]", and the report's "value" in structuredContent when the result is short) plus what it printed.
/// </summary>
internal sealed class CustomTool : McpServerTool
{
    private readonly CustomToolDefinition _definition;
    private readonly CodeRunner _runner;
    private readonly string _enginePath;

    public CustomTool(CustomToolDefinition definition, CodeRunner runner)
    {
        _definition = definition;
        _runner = runner;
        // The folder is bound read-only into the sandbox at its real path (Security/EngineSandbox), so that is its engine path.
        _enginePath = CodePaths.RealPath(definition.Folder) ?? definition.Folder;
        ProtocolTool = new Tool
        {
            Name = definition.Name,
            Description = $"{definition.Description} (Calls {definition.Function} in your session; returns its outputs as JSON.)",
            InputSchema = CustomToolSchema.Input(definition),
            // The operator's function may change the workspace or write files: nothing can be promised.
            Annotations = new ToolAnnotations { ReadOnlyHint = false, DestructiveHint = false, IdempotentHint = false, OpenWorldHint = false },
        };
    }

    public CustomToolDefinition Definition => _definition;

    public override Tool ProtocolTool { get; }

    public override IReadOnlyList<object> Metadata { get; } = [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request,
        CancellationToken cancellationToken = default)
    {
        if (CustomToolCall.Read(_definition, request.Params?.Arguments, out var call) is { } refused)
            return ResultBuilder.Error(refused);
        var identity = CallerIdentity.Of(request.User);
        if (_runner.Resolve(identity, call!.Session, null, null, out var file, pathRequired: false) is { } badSession)
            return ResultBuilder.Error(badSession);
        // Octave finds a function in the current folder before the path: a same-named file of the session would run instead.
        if (File.Exists(Path.Combine(file!.Folders.Host, _definition.Function + ".m")))
            return ResultBuilder.Error($"{_definition.Name} was not called: your session folder has a file {_definition.Function}.m, which " +
                $"would run instead of the tool's own function. Rename or delete it (delete_file), or use another session.");
        var run = new ExecutionRequest(identity, CustomToolSchema.CallText(_definition, call.Shown), call.Session, call.TimeoutSeconds,
            _runner.SessionWait(call.WaitSeconds))
        {
            Call = new EngineCall(_definition.Function, call.Args),
            AddPath = _enginePath,
        };
        return (await _runner.RunAsync(request, run, cancellationToken)).Result;
    }
}
