using MatlabMcp.Configuration;
using MatlabMcp.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints.Http;

/// <summary><c>GET /health</c>: liveness for load balancers and systemd checks, never behind auth.</summary>
internal static class HealthApi
{
    public static IEndpointConventionBuilder MapHealth(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/health", GetAsync);

    private static Task GetAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var engine = services.GetRequiredService<IOptions<EngineOptions>>().Value.Kind.Name();
        var version = services.GetRequiredService<IOptions<McpServerOptions>>().Value.ServerInfo?.Version ?? "";
        var sandbox = services.GetRequiredService<EngineSandbox>().Status;
        var report = new HealthReport("ok", engine, version, "http", sandbox);
        return context.Response.WriteAsJsonAsync(report, HttpJson.Default.HealthReport, contentType: null, context.RequestAborted);
    }
}
