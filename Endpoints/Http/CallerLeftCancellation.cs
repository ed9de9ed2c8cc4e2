using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints.Http;

/// <summary>
/// Ours because the SDK does not cancel a stateful session's tool call when the POST that carries it is dropped
/// (it waits for <c>notifications/cancelled</c>, which the C# SDK client does not send on HTTP). The POST's
/// <c>RequestAborted</c> joins the call's token, so a client that leaves (or cancels) stops its code, as on stdio
/// and stateless HTTP. The call runs on the POST's execution context, so the accessor sees that POST.
/// </summary>
internal static class CallerLeftCancellation
{
    public static IMcpServerBuilder WithCancellationWhenTheCallerLeaves(this IMcpServerBuilder mcp)
    {
        mcp.Services.AddHttpContextAccessor();
        return mcp.WithRequestFilters(filters => filters.AddCallToolFilter(next => async (request, cancellationToken) =>
        {
            var aborted = request.Services?.GetService<IHttpContextAccessor>()?.HttpContext?.RequestAborted ?? CancellationToken.None;
            if (!aborted.CanBeCanceled)
                return await next(request, cancellationToken);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, aborted);
            return await next(request, linked.Token);
        }));
    }
}
