using MatlabMcp;
using MatlabMcp.Configuration;
using MatlabMcp.Endpoints;
using MatlabMcp.Endpoints.Http;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

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

if (cli.GenerateToken)
{
    var identity = cli.Identity ?? BearerTokens.EnvironmentIdentity;
    if (!BearerTokens.IsValidIdentity(identity))
    {
        await Console.Error.WriteLineAsync($"matlab-mcp: --identity must be 1-64 of A-Z a-z 0-9 - . _ @, starting with a letter or digit.");
        return 2;
    }
    var url = TokenCommand.UrlFor(cli.Host ?? config.Server.Host, cli.Port ?? config.Server.Port);
    await Console.Out.WriteAsync(TokenCommand.Render(identity, BearerTokens.NewToken(), url, config.Auth));
    return 0;
}

HttpListenSettings? listen = null;
EngineSandbox sandbox;
try
{
    if (cli.Transport == "http")
        listen = HttpListenSettings.Resolve(cli, config, environment.GetValueOrDefault(BearerTokens.EnvironmentVariable));
    sandbox = new EngineSandbox(config); // refuses to start without a working sandbox unless explicitly allowed
}
catch (ConfigException e)
{
    await Console.Error.WriteLineAsync($"matlab-mcp: {e.Message}");
    return 2;
}
if (!sandbox.IsActive)
    await Console.Error.WriteLineAsync($"matlab-mcp: WARNING: engine sandbox {sandbox.Status}");

if (listen is null)
{
    // An empty builder, as for HTTP: the default one reads appsettings.json and watches its content root recursively,
    // which cost seconds to the first answer when a client spawned the server in a large directory tree.
    var stdio = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
    stdio.Logging.AddServerLogging(cli.Verbose);
    stdio.Services.AddEngines(config, sandbox);
    stdio.Services.AddMatlabTools().WithStdioServerTransport();
    stdio.Services.AddShutdownDrain();
    // Disposing the host stops every engine (SessionRegistry) and removes the work folder (EngineFactory).
    await stdio.Build().StartWarmingEngines().RunAsync();
    return 0;
}

// An empty builder: no appsettings.json or ASPNETCORE_* variables from wherever the server happens to start.
var web = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
web.Logging.AddServerLogging(cli.Verbose);
web.Services.AddEngines(config, sandbox);
var mcp = web.Services.AddMatlabTools();
web.Services.AddShutdownDrain();
web.AddStreamableHttp(mcp, listen, config);

var app = web.Build().StartWarmingEngines();
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
