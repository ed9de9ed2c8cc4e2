using MatlabMcp;
using MatlabMcp.Configuration;
using MatlabMcp.Endpoints;
using MatlabMcp.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

CommandLine cli;
AppConfig config;
EngineSandbox sandbox;
try
{
    cli = CommandLine.Parse(args);
    config = ConfigLoader.Load(cli.ConfigPath ?? Environment.GetEnvironmentVariable("MATLAB_MCP_CONFIG"),
        CommandLine.EnvironmentVariables());
    sandbox = new EngineSandbox(config); // refuses to start without a working sandbox unless explicitly allowed
}
catch (Exception e) when (e is ConfigException or ArgumentException)
{
    await Console.Error.WriteLineAsync($"matlab-mcp: {e.Message}");
    return 2;
}

// stdio: stdout carries protocol frames only, so every log line goes to stderr.
var builder = Host.CreateApplicationBuilder([]);
builder.Logging.ClearProviders();
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Logging.SetMinimumLevel(cli.Verbose ? LogLevel.Debug : LogLevel.Information);
// The SDK logs every request at Information: per-call console logging costs more than the call itself.
builder.Logging.AddFilter("ModelContextProtocol", cli.Verbose ? LogLevel.Debug : LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
builder.Services.AddEngines(config, sandbox);
builder.Services.AddMatlabTools().WithStdioServerTransport();
builder.Services.AddShutdownDrain();

if (!sandbox.IsActive)
    await Console.Error.WriteLineAsync($"matlab-mcp: WARNING: engine sandbox {sandbox.Status}");

// Disposing the host stops every engine (SessionRegistry) and removes the work folder (EngineFactory).
await builder.Build().RunAsync();
return 0;
