using System.Collections.Concurrent;
using MatlabMcp.Configuration;
using MatlabMcp.Endpoints.Http;
using MatlabMcp.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace MatlabMcp.Tests.Http;

/// <summary>
/// The real HTTP hosting (Kestrel, Origin/Host guard, bearer auth, MapMcp) in-process on a free loopback port,
/// with <see cref="IdentityProbeTools"/> in place of the engine tools: for transport behaviour that needs no engine.
/// </summary>
internal sealed class InProcessHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessHttpServer(WebApplication app, Uri endpoint, ConcurrentQueue<string> logs)
    {
        _app = app;
        Endpoint = endpoint;
        Logs = logs;
    }

    /// <summary>The /mcp URL.</summary>
    public Uri Endpoint { get; }

    /// <summary>Every log message the server wrote, for waiting on what the SDK does on its own timers.</summary>
    public ConcurrentQueue<string> Logs { get; }

    public static async Task<InProcessHttpServer> StartAsync(AppConfig config)
    {
        var listen = HttpListenSettings.Resolve(new CommandLine("http", null, false) { Port = 0 }, config, environmentToken: null);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        var logs = new ConcurrentQueue<string>();
        builder.Logging.AddProvider(new QueueLoggerProvider(logs)).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddMatlabOptions(config);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddStreamableHttp(builder.Services.AddMcpServer().WithTools<IdentityProbeTools>(), listen, config.Server);
        var app = builder.Build();
        app.UseHttpSecurity();
        app.MapMcpEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new InProcessHttpServer(app, new Uri($"{address}{HttpTransportSetup.McpPath}"), logs);
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = new Uri(Endpoint.GetLeftPart(UriPartial.Authority)) };

    public Task<McpClient> ConnectAsync(string? token, string? protocolVersion, HttpTransportMode mode = HttpTransportMode.StreamableHttp)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = mode == HttpTransportMode.Sse ? new Uri(Endpoint, $"{HttpTransportSetup.McpPath}/sse") : Endpoint,
            TransportMode = mode,
            AdditionalHeaders = token is null ? null : new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        });
        return McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion, DiscoverProbeTimeout = ServerProcess.DiscoverProbe });
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private sealed class QueueLoggerProvider(ConcurrentQueue<string> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(logs);
        public void Dispose() { }
    }

    private sealed class QueueLogger(ConcurrentQueue<string> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Enqueue(formatter(state, exception));
    }
}
