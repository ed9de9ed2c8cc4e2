using System.Text.Json;
using MatlabMcp.Execution;
using MatlabMcp.Security;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>
/// A run as an MCP client sees it: approval through elicitation (<see cref="ApprovalGate"/>), printed output as
/// <c>matlab-output</c> log notifications, progress as progress notifications when the request carried a token.
/// </summary>
internal sealed class McpExecutionObserver(RequestContext<CallToolRequestParams> request, ApprovalGate gate) : IExecutionObserver
{
    private readonly ProgressToken? _token = request.Params?.ProgressToken;

    public Task<ApprovalVerdict> ApproveAsync(ApprovalSubject subject, CancellationToken cancellationToken) =>
        gate.AskAsync(request.Server, request.Params, subject, cancellationToken);

    public bool TakesProgress => _token is not null;

    public Task<bool> OutputAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(request.Server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification, new LoggingMessageNotificationParams
        {
            Level = LoggingLevel.Info,
            Logger = "matlab-output",
            Data = JsonSerializer.SerializeToElement(text, AppJson.Default.String),
        }, cancellationToken: cancellationToken));

    public Task<bool> ProgressAsync(float progress, float? total, string message, CancellationToken cancellationToken) =>
        _token is { } token
            ? SendAsync(request.Server.NotifyProgressAsync(token, new ProgressNotificationValue
            {
                Progress = progress,
                Total = total,
                Message = message,
            }, cancellationToken: cancellationToken))
            : Task.FromResult(true);

    /// <summary>False when the client went away (its stream closed); the run carries on without it.</summary>
    private static async Task<bool> SendAsync(Task send)
    {
        try
        {
            await send;
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or McpException)
        {
            return false;
        }
    }
}
