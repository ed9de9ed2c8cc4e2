using System.ComponentModel;
using MatlabMcp.Configuration;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>Looking at the workspace without changing it.</summary>
[McpServerToolType]
internal sealed partial class WorkspaceTools(SessionRegistry sessions, ResultBuilder results, IOptions<OutputOptions> output)
{
    [McpServerTool(Name = "get_workspace", Title = "List workspace variables", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(WorkspaceReport))]
    [Description("Lists the variables in a session's workspace with name, class, size and bytes (never their data).")]
    public async Task<CallToolResult> GetWorkspaceAsync(
        RequestContext<CallToolRequestParams> request,
        [Description(CodeTools.SessionHelp)] string? session = null,
        [Description(CodeTools.WaitHelp + " At most 60.")] double? wait_seconds = null,
        CancellationToken cancellationToken = default) =>
        await ReadAsync(CallerIdentity.Of(request.User), session, CodeTools.SessionWait(wait_seconds, MaxWaitSeconds), cancellationToken);

    /// <summary>The longest a call that holds its request open may wait for a busy session (as get_job_result's wait).</summary>
    internal const double MaxWaitSeconds = 60;

    internal Task<CallToolResult> ReadAsync(string identity, string? session, CancellationToken cancellationToken) =>
        ReadAsync(identity, session, TimeSpan.Zero, cancellationToken);

    internal async Task<CallToolResult> ReadAsync(string identity, string? session, TimeSpan busyWait, CancellationToken cancellationToken)
    {
        var max = output.Value.MaxWorkspaceVariables;
        try
        {
            using var lease = await sessions.AcquireAsync(identity, session, busyWait, cancellationToken);
            // Ask for one more than we show, to know whether the list was cut.
            var response = await lease.Engine.SendAsync(BridgeRequest.Workspace, maxVariables: max + 1).WaitAsync(cancellationToken);
            if (!response.Ok)
                return ResultBuilder.Error($"Could not read the workspace: {response.Error?.Message}");
            var variables = response.Variables ?? [];
            return results.Workspace(new WorkspaceReport([.. variables.Take(max)], variables.Count > max, lease.Notice));
        }
        catch (Exception e) when (e is EngineStartException or EngineDiedException or CapacityException)
        {
            return ResultBuilder.Error($"Could not read the workspace: {e.Message}");
        }
    }
}
