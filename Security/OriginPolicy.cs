using MatlabMcp.Configuration;
using MatlabMcp.Endpoints.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace MatlabMcp.Security;

/// <summary>
/// DNS-rebinding protection and CORS. A browser always sends <c>Origin</c> on cross-origin requests, so a page
/// whose name was rebound to 127.0.0.1 is refused here unless its origin is in <c>server.allowed_origins</c>.
/// Requests without <c>Origin</c> (MCP clients, curl) pass. CORS headers go only to configured origins.
/// </summary>
internal sealed partial class OriginPolicy(AppConfig config, ILogger<OriginPolicy> logger)
{
    private readonly HashSet<string> _allowed =
        config.Server.AllowedOrigins.Select(o => ServerOptions.TryNormalizeOrigin(o, out var n) ? n : o).ToHashSet(StringComparer.Ordinal);

    /// <summary>Headers a browser client sends: auth and the MCP ones (<c>Mcp-Param-*</c> is echoed on demand).</summary>
    private const string AllowedHeaders =
        "Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID, Mcp-Method, Mcp-Name";

    private static readonly System.Buffers.SearchValues<char> HeaderListChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-, ");

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var origins = context.Request.Headers.Origin;
        if (origins.Count == 0)
        {
            await next(context);
            return;
        }
        var origin = origins.Count == 1 ? origins[0] ?? "" : "";
        if (!System.Text.Ascii.IsValid(origin) || !ServerOptions.TryNormalizeOrigin(origin, out var normalized) || !_allowed.Contains(normalized))
        {
            LogRefused(logger, origins.ToString(), context.Request.Method, context.Request.Path.Value ?? "");
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            var problem = new HttpProblem("origin_not_allowed",
                $"Requests from origin {origins} are not allowed. If a browser page there should reach this server, " +
                "add the origin to server.allowed_origins (or MATLAB_MCP_SERVER__ALLOWED_ORIGINS).");
            await context.Response.WriteAsJsonAsync(problem, HttpJson.Default.HttpProblem, contentType: null, context.RequestAborted);
            return;
        }

        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.Vary = HeaderNames.Origin;
        // Browser code must be able to read the session id it is given, and why it was refused.
        headers.AccessControlExposeHeaders = "Mcp-Session-Id, WWW-Authenticate";
        if (HttpMethods.IsOptions(context.Request.Method) && context.Request.Headers.AccessControlRequestMethod.Count > 0)
        {
            // Preflight: answered here, before auth, because browsers never send credentials on it.
            headers.AccessControlAllowMethods = "GET, POST, DELETE, OPTIONS";
            // Echo what was asked for (Mcp-Param-* names vary per tool) when it is a plain list of header names.
            var requested = context.Request.Headers.AccessControlRequestHeaders.ToString();
            headers.AccessControlAllowHeaders = requested.Length > 0 && !requested.AsSpan().ContainsAnyExcept(HeaderListChars)
                ? requested : AllowedHeaders;
            headers.AccessControlMaxAge = "600";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        await next(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "403 for {Method} {Path}: origin {Origin} is not in server.allowed_origins")]
    private static partial void LogRefused(ILogger logger, string origin, string method, string path);
}
