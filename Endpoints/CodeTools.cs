using System.ComponentModel;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Security;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>Running code. A thin adapter: the work is in Jobs/ and the result shape in Output/.</summary>
[McpServerToolType]
internal sealed class CodeTools(CodeExecutor executor, ResultBuilder results)
{
    internal const string SessionHelp =
        "Session name (optional): a short name such as \"main\" or \"worktree-b\" picks one of your workspaces; " +
        "it is created on first use. Omit it for your default session \"main\".";

    [McpServerTool(Name = "execute_code", Title = "Run MATLAB/Octave code", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(ExecutionReport))]
    [Description("Runs MATLAB/Octave code in one of your persistent engine sessions. Variables persist between calls. " +
        "Returns the printed output; on error also the error identifier, message, stack and the output printed before it. " +
        "Code that runs past the time limit is interrupted and the workspace is kept.")]
    public async Task<CallToolResult> ExecuteCodeAsync(
        RequestContext<CallToolRequestParams> request,
        [Description("MATLAB/Octave statements, e.g. \"x = 42; disp(x)\". End a statement with ';' to hide its value.")] string code,
        [Description(SessionHelp)] string? session = null,
        [Description("Seconds the code may run before it is interrupted (optional; server default applies).")] double? timeout_seconds = null,
        CancellationToken cancellationToken = default) =>
        results.Execution(await executor.ExecuteAsync(CallerIdentity.Of(request.User), session, code, timeout_seconds, cancellationToken));
}
