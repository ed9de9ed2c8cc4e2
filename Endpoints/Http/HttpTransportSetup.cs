using System.Text;
using MatlabMcp.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace MatlabMcp.Endpoints.Http;

/// <summary>Kestrel, the /mcp routes and their guards. The MCP tools and engines are added by the caller.</summary>
internal static class HttpTransportSetup
{
    public static WebApplicationBuilder AddStreamableHttp(this WebApplicationBuilder builder, HttpListenSettings listen)
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

        var services = builder.Services;
        services.AddSingleton(listen);
        services.AddSingleton(listen.Tokens);
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<McpSessionStore>();
        services.AddSingleton<McpHttpHandler>();
        services.AddHostedService<McpSessionReaper>();
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

    /// <summary>Origin check first (a foreign page is refused even with a token), then bearer auth.</summary>
    public static WebApplication UseHttpSecurity(this WebApplication app)
    {
        app.Use(app.Services.GetRequiredService<OriginPolicy>().InvokeAsync);
        if (app.Services.GetRequiredService<BearerTokens>().IsConfigured)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }
        return app;
    }

    /// <summary>POST/GET/DELETE /mcp; behind bearer auth whenever tokens are configured.</summary>
    public static RouteGroupBuilder MapMcpEndpoints(this IEndpointRouteBuilder routes)
    {
        var handler = routes.ServiceProvider.GetRequiredService<McpHttpHandler>();
        var mcp = routes.MapGroup("/mcp");
        mcp.MapPost("", handler.PostAsync);
        mcp.MapGet("", handler.GetAsync);
        mcp.MapDelete("", handler.DeleteAsync);
        if (routes.ServiceProvider.GetRequiredService<BearerTokens>().IsConfigured)
            mcp.RequireAuthorization();
        return mcp;
    }
}
