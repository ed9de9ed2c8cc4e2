using MatlabMcp.Configuration;
using MatlabMcp.Output;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MatlabMcp.Endpoints.Http;

/// <summary>
/// DNS-rebinding protection and CORS. A browser sends <c>Origin</c> on every cross-origin request and every POST,
/// so a page whose name was rebound to 127.0.0.1 is refused here unless its origin is in
/// <c>server.allowed_origins</c>, or the server listens on loopback and the page is this machine's own
/// (localhost, 127.0.0.1, [::1], any port). A loopback server without tokens also checks <c>Host</c>: a rebound
/// name arrives as the attacker's host even on a GET, which carries no <c>Origin</c>. Requests without
/// <c>Origin</c> (MCP clients, curl) pass. CORS headers go only to origins that pass.
/// Ours because the SDK's MapMcp checks neither <c>Origin</c> nor <c>Host</c>.
/// </summary>
internal sealed partial class OriginPolicy(IOptions<ServerOptions> server, HttpListenSettings listen, ILogger<OriginPolicy> logger)
{
    private readonly HashSet<string> _allowed =
        server.Value.AllowedOrigins.Select(o => ServerOptions.TryNormalizeOrigin(o, out var n) ? n : o).ToHashSet(StringComparer.Ordinal);

    /// <summary>The host names of the allowed origins: a loopback server answers to them as well as to its own names.</summary>
    private readonly HashSet<string> _originHosts = server.Value.AllowedOrigins
        .Select(o => Uri.TryCreate(o.Trim(), UriKind.Absolute, out var uri) ? uri.Host : "")
        .Where(h => h.Length > 0)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Only an unauthenticated loopback server relies on the Host name; tokens stop a rebound page anyway.</summary>
    private readonly bool _checkHost = listen.IsLoopback && !listen.Tokens.IsConfigured;

    /// <summary>Headers a browser client sends: auth and the MCP ones (<c>Mcp-Param-*</c> is echoed on demand).</summary>
    private const string AllowedHeaders =
        "Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID, Mcp-Method, Mcp-Name";

    private static readonly System.Buffers.SearchValues<char> HeaderListChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-, ");

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (_checkHost && !IsLoopbackName(context.Request.Host.Host) && !_originHosts.Contains(context.Request.Host.Host))
        {
            var host = ClientText.Escape(context.Request.Host.Value ?? "");
            LogHostRefused(logger, host, context.Request.Method, context.Request.Path.Value ?? "");
            await RefuseAsync(context, new HttpProblem("host_not_allowed",
                $"Requests for host '{host}' are not allowed: without bearer tokens this server only answers to localhost, " +
                "127.0.0.1 and [::1], so a web page cannot reach it by rebinding its own name. Behind a reverse proxy, " +
                "configure bearer tokens (auth.tokens_file) or have the proxy send Host: localhost."));
            return;
        }
        var origins = context.Request.Headers.Origin;
        if (origins.Count == 0)
        {
            await next(context);
            return;
        }
        var origin = origins.Count == 1 ? origins[0] ?? "" : "";
        if (!System.Text.Ascii.IsValid(origin) || !ServerOptions.TryNormalizeOrigin(origin, out var normalized) || !IsAllowed(normalized))
        {
            LogRefused(logger, ClientText.Escape(origins.ToString()), context.Request.Method, context.Request.Path.Value ?? "");
            await RefuseAsync(context, new HttpProblem("origin_not_allowed",
                $"Requests from origin {ClientText.Escape(origins.ToString())} are not allowed. If a browser page there should reach this server, " +
                "add the origin to server.allowed_origins (or MATLAB_MCP_SERVER__ALLOWED_ORIGINS)."));
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

    private bool IsAllowed(string origin) =>
        _allowed.Contains(origin) || (listen.IsLoopback && IsLoopbackName(new Uri(origin).Host));

    /// <summary>The names a browser on this machine uses for a loopback server: localhost, 127.x.x.x, [::1].</summary>
    private static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));

    private static Task RefuseAsync(HttpContext context, HttpProblem problem)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsJsonAsync(problem, HttpJson.Default.HttpProblem, contentType: null, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "403 for {Method} {Path}: host {Host} is not a loopback name (no bearer tokens configured)")]
    private static partial void LogHostRefused(ILogger logger, string host, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "403 for {Method} {Path}: origin {Origin} is not in server.allowed_origins")]
    private static partial void LogRefused(ILogger logger, string origin, string method, string path);
}
