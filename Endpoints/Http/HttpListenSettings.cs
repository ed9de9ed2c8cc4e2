using System.Net;
using MatlabMcp.Configuration;
using MatlabMcp.Security;

namespace MatlabMcp.Endpoints.Http;

/// <summary>Where the HTTP server listens and who may call it, checked before anything starts.</summary>
internal sealed record HttpListenSettings(string Host, IPAddress Address, int Port, BearerTokens Tokens)
{
    /// <summary>"localhost" binds both loopback families (a fixed port is needed for that).</summary>
    public bool IsLocalhostName => Host == "localhost";

    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <summary>
    /// Combines <c>--host</c>/<c>--port</c> (which win) with the <c>server</c> section, loads the tokens, and
    /// refuses a non-loopback address without them. Throws <see cref="ConfigException"/> with what to do.
    /// </summary>
    public static HttpListenSettings Resolve(CommandLine cli, AppConfig config, string? environmentToken)
    {
        var host = (cli.Host ?? config.Server.Host).Trim();
        var port = cli.Port ?? config.Server.Port;
        IPAddress? address = host == "localhost" ? IPAddress.Loopback : null;
        if (address is null && !IPAddress.TryParse(host.Trim('[', ']'), out address))
            throw new ConfigException($"--host / server.host must be an IP address (127.0.0.1, ::1, 0.0.0.0, ...) or localhost, not '{host}'.");
        var tokens = BearerTokens.Load(config.Auth, environmentToken);
        var settings = new HttpListenSettings(host, address, port, tokens);
        if (!settings.IsLoopback && !tokens.IsConfigured)
            throw new ConfigException(
                $"Refusing to listen on {host}:{port} without authentication: anyone who can reach that address could run " +
                "code on this machine as this user. Either stay on loopback (--host 127.0.0.1), or configure bearer tokens:\n" +
                "  1. run 'matlab-mcp --generate-token --identity NAME' for each user;\n" +
                "  2. append each printed 'NAME:sha256' line to a tokens file and point auth.tokens_file in config.yaml " +
                "(or MATLAB_MCP_AUTH__TOKENS_FILE) at it;\n" +
                $"  or, for a single shared token, set {BearerTokens.EnvironmentVariable} in the server's environment.");
        return settings;
    }
}
