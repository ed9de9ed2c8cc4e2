using MatlabMcp;
using MatlabMcp.Configuration;
using MatlabMcp.Endpoints;
using MatlabMcp.Endpoints.Http;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

// The command line and the configuration; --help and --version need neither engines nor config.
CommandLine cli;
AppConfig config;
var environment = CommandLine.EnvironmentVariables();
try
{
    cli = CommandLine.Parse(args);
    if (cli.ShowHelp || cli.ShowVersion)
    {
        await Console.Out.WriteLineAsync(cli.ShowHelp ? CommandLine.Help : $"matlab-mcp {CommandLine.Version}");
        return 0;
    }
    config = ConfigLoader.Load(cli.ConfigPath ?? environment.GetValueOrDefault("MATLAB_MCP_CONFIG"), environment);
}
catch (Exception e) when (e is ConfigException or ArgumentException)
{
    await Console.Error.WriteLineAsync($"matlab-mcp: {e.Message}");
    return 2;
}

// --generate-token prints a token and exits: no engines, no listener.
if (cli.GenerateToken)
    return await TokenCommand.RunAsync(cli, config);

// Where to listen, and the engine sandbox (which refuses to start without a working sandbox unless explicitly allowed).
HttpListenSettings? listen = null;
EngineSandbox sandbox;
try
{
    if (cli.Transport == "http")
        listen = HttpListenSettings.Resolve(cli, config, environment.GetValueOrDefault(BearerTokens.EnvironmentVariable));
    sandbox = new EngineSandbox(config);
}
catch (ConfigException e)
{
    await Console.Error.WriteLineAsync($"matlab-mcp: {e.Message}");
    return 2;
}
if (!sandbox.IsActive)
    await Console.Error.WriteLineAsync($"matlab-mcp: WARNING: engine sandbox {sandbox.Status}");

return listen is null ? await ServeStdioAsync(cli, config, sandbox) : await ServeHttpAsync(cli, config, sandbox, listen);

// MCP over stdin/stdout for a client that spawned the server.
static async Task<int> ServeStdioAsync(CommandLine cli, AppConfig config, EngineSandbox sandbox)
{
    // An empty builder, as for HTTP: the default one reads appsettings.json and watches its content root recursively,
    // which cost seconds to the first answer when a client spawned the server in a large directory tree.
    var stdio = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
    stdio.Logging.AddServerLogging(cli.Verbose);
    stdio.Services.AddMatlabMcp(config, sandbox).WithStdioServerTransport();
    // Disposing the host stops every engine (SessionRegistry) and removes the work folder (EngineFactory).
    var host = stdio.Build();
    if (await StartRefusalAsync(host) is { } refusal)
        return refusal;
    await host.StartWarmingEngines().RunAsync();
    return 0;
}

// Streamable HTTP on /mcp (and /health) for remote clients.
static async Task<int> ServeHttpAsync(CommandLine cli, AppConfig config, EngineSandbox sandbox, HttpListenSettings listen)
{
    // An empty builder: no appsettings.json or ASPNETCORE_* variables from wherever the server happens to start.
    var web = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
    web.Logging.AddServerLogging(cli.Verbose);
    web.AddStreamableHttp(web.Services.AddMatlabMcp(config, sandbox), listen, config.Server);

    var built = web.Build();
    if (await StartRefusalAsync(built) is { } refusal)
        return refusal;
    var app = built.StartWarmingEngines();
    app.UseHttpSecurity();
    app.MapHealth();
    app.MapMcpEndpoints();
    try
    {
        await app.RunAsync();
    }
    catch (IOException e)
    {
        await Console.Error.WriteLineAsync($"matlab-mcp: cannot listen on {listen.Host}:{listen.Port}: {e.Message}");
        return 1;
    }
    return 0;
}

// The checks made when a host starts (ValidateOnStart: e.g. a custom tool named like one of the server's own), made
// before any engine starts: on a failure the message alone (no host stack trace) and exit code 2, as for config.yaml.
static async Task<int?> StartRefusalAsync(IHost host)
{
    try
    {
        host.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        return null;
    }
    catch (Exception e) when (ValidationFailures(e) is { } failures)
    {
        await Console.Error.WriteLineAsync("matlab-mcp: " + string.Join("\nmatlab-mcp: ", failures));
        if (host is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
        else
            host.Dispose();
        return 2;
    }
}

// The messages of a failed start-up validation (one, or several together), or null for any other exception.
static IEnumerable<string>? ValidationFailures(Exception e) => e switch
{
    Microsoft.Extensions.Options.OptionsValidationException one => one.Failures,
    AggregateException many when many.InnerExceptions.All(i => i is Microsoft.Extensions.Options.OptionsValidationException) =>
        many.InnerExceptions.SelectMany(i => ((Microsoft.Extensions.Options.OptionsValidationException)i).Failures),
    _ => null,
};
