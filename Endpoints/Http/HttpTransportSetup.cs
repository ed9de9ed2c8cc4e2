using System.Text;
using System.Text.Json.Serialization.Metadata;
using MatlabMcp.Configuration;
using MatlabMcp.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using ModelContextProtocol;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Endpoints.Http;

/// <summary>
/// Kestrel and Streamable HTTP through ModelContextProtocol.AspNetCore (<c>MapMcp</c>), behind our Origin/Host
/// guard and bearer auth. The MCP tools and engines are added by the caller.
/// </summary>
internal static class HttpTransportSetup
{
    public const string McpPath = "/mcp";

    public static WebApplicationBuilder AddStreamableHttp(this WebApplicationBuilder builder, IMcpServerBuilder mcp,
        HttpListenSettings listen, ServerOptions server)
    {
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            if (listen.IsLocalhostName && listen.Port != 0)
                kestrel.ListenLocalhost(listen.Port);
            else
                kestrel.Listen(listen.Address, listen.Port);
            kestrel.AddServerHeader = false;
            // Kestrel rejects header bytes that are not valid UTF-8 with a bare 400 before any of our code runs.
            // Reading Authorization as Latin-1 lets every byte through to the auth handler, which answers a
            // non-ASCII credential with a proper 401.
            kestrel.RequestHeaderEncodingSelector = name =>
                string.Equals(name, HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase) ? Encoding.Latin1 : null;
        });
        builder.Services.AddRoutingCore();

#pragma warning disable MCP9004, MCP9006 // The session limits and the legacy SSE switch are obsolete only because 2026-07-28 drops sessions; 2025 clients still need them.
        mcp.WithHttpTransport(o =>
        {
            // Sessions (Mcp-Session-Id) for clients that initialize (2025 revisions), stateless for 2026-07-28.
            o.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
            o.IdleTimeout = server.McpSessionIdleTimeout;
            o.MaxIdleSessionCount = server.MaxMcpSessions;
            o.EnableLegacySse = server.LegacySse;
        });
#pragma warning restore MCP9004, MCP9006
        mcp.WithCancellationWhenTheCallerLeaves();

        var services = builder.Services;
        services.AddSingleton(listen);
        services.AddSingleton(listen.Tokens);
        services.AddSingleton<OriginPolicy>();
        services.AddHostedService<HttpStartupLog>();
        if (listen.Tokens.IsConfigured)
        {
            // The core variant: AddAuthentication() would also set up Data Protection, which writes key files
            // to disk for cookie schemes we do not have.
            services.AddAuthenticationCore(o =>
            {
                o.DefaultScheme = BearerAuthenticationHandler.SchemeName;
                o.AddScheme<BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
            });
            services.AddWebEncoders();
            services.AddAuthorization();
        }
        return builder;
    }

    /// <summary>Origin and Host checks first (a foreign page is refused even with a token), then bearer auth.</summary>
    public static WebApplication UseHttpSecurity(this WebApplication app)
    {
        app.Use(app.Services.GetRequiredService<OriginPolicy>().InvokeAsync);
        if (app.Services.GetRequiredService<BearerTokens>().IsConfigured)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }
        app.Use(RequireJsonBodyAsync);
        return app;
    }

    /// <summary>
    /// Ours because the SDK answers a POST that is not <c>application/json</c> with a bare 415 and no body, which
    /// tells an agent nothing; this says what to send, as a JSON-RPC error.
    /// </summary>
    private static Task RequireJsonBodyAsync(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != McpPath || context.Request.HasJsonContentType())
            return next(context);
        context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        var error = new JsonRpcError
        {
            Id = default,
            Error = new JsonRpcErrorDetail
            {
                Code = (int)McpErrorCode.InvalidRequest,
                Message = "Unsupported Media Type: send the JSON-RPC message as application/json.",
            },
        };
        return context.Response.WriteAsJsonAsync(error, ErrorType, contentType: null, context.RequestAborted);
    }

    private static readonly JsonTypeInfo<JsonRpcError> ErrorType =
        (JsonTypeInfo<JsonRpcError>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcError));

    /// <summary>POST/GET/DELETE /mcp (and /mcp/sse, /mcp/message with server.legacy_sse), behind bearer auth whenever tokens are configured.</summary>
    public static IEndpointConventionBuilder MapMcpEndpoints(this IEndpointRouteBuilder routes)
    {
        var mcp = routes.MapMcp(McpPath);
        if (routes.ServiceProvider.GetRequiredService<BearerTokens>().IsConfigured)
            mcp.RequireAuthorization();
        return mcp;
    }
}
