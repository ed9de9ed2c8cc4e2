using System.ComponentModel;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>Listing, resetting and closing your own sessions.</summary>
[McpServerToolType]
internal sealed class SessionTools(SessionRegistry sessions, ResultBuilder results)
{
    [McpServerTool(Name = "list_sessions", Title = "List your sessions", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(SessionListReport))]
    [Description("Lists your sessions (workspaces): name, whether a call is running, idle time and when it expires.")]
    public CallToolResult ListSessions(RequestContext<CallToolRequestParams> request) =>
        results.Sessions(sessions.List(CallerIdentity.Of(request.User)));

    [McpServerTool(Name = "reset_session", Title = "Clear a session's workspace", ReadOnly = false, Destructive = true,
        Idempotent = true, OpenWorld = false)]
    [Description("Gives a session a fresh engine: all variables, globals and path changes are cleared; files in its folder are kept.")]
    public async Task<CallToolResult> ResetSessionAsync(
        RequestContext<CallToolRequestParams> request,
        [Description(CodeTools.SessionHelp)] string? session = null,
        [Description(CodeTools.WaitHelp + " At most 60.")] double? wait_seconds = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            using var lease = await sessions.AcquireAsync(CallerIdentity.Of(request.User), session,
                CodeTools.SessionWait(wait_seconds, WorkspaceTools.MaxWaitSeconds), cancellationToken);
            await lease.Session.ResetAsync(lease, cancellationToken);
            return ResultBuilder.Text($"Session '{lease.Session.Name}' has a fresh workspace; its files were kept.");
        }
        catch (Exception e) when (e is EngineStartException or CapacityException)
        {
            return ResultBuilder.Error($"Could not reset the session: {e.Message}");
        }
    }

    [McpServerTool(Name = "close_session", Title = "Close a session", ReadOnly = false, Destructive = true,
        Idempotent = false, OpenWorld = false)]
    [Description("Closes one of your sessions: its engine is stopped (a running call is ended) and its folder and files are removed.")]
    public async Task<CallToolResult> CloseSessionAsync(
        RequestContext<CallToolRequestParams> request,
        [Description("Name of the session to close, as shown by list_sessions.")] string session)
    {
        if (SessionRegistry.ValidateName(session) is { } invalid)
            return ResultBuilder.Error(invalid);
        return await sessions.CloseAsync(CallerIdentity.Of(request.User), session)
            ? ResultBuilder.Text($"Session '{session}' is closed: its engine was stopped and its files removed.")
            : ResultBuilder.Error($"You have no session named '{session}'. list_sessions shows yours.");
    }
}
