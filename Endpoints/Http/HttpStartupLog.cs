using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MatlabMcp.Endpoints.Http;

/// <summary>
/// Logs the endpoint once Kestrel is listening (with <c>--port 0</c> that is the only way to learn the port)
/// and warns when plain HTTP is exposed beyond this machine.
/// </summary>
internal sealed partial class HttpStartupLog(IServer server, HttpListenSettings listen, ILogger<HttpStartupLog> logger)
    : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            LogListening(logger, $"{address}/mcp", listen.Tokens.IsConfigured ? "bearer tokens" : "none (loopback only)");
        if (!listen.IsLoopback)
            LogPlainHttp(logger, listen.Host);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP endpoint {Url} (auth: {Auth})")]
    private static partial void LogListening(ILogger logger, string url, string auth);

    [LoggerMessage(Level = LogLevel.Warning, Message = "serving plain HTTP on {Host}: tokens travel in clear text unless a TLS proxy (Caddy, nginx) terminates HTTPS in front")]
    private static partial void LogPlainHttp(ILogger logger, string host);
}
