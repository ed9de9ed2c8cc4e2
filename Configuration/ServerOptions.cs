using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>The HTTP listener (used with <c>--transport http</c>); <c>--host</c>/<c>--port</c> override it.</summary>
internal sealed class ServerOptions : IConfigSection<ServerOptions>
{
    /// <summary>Address to listen on: an IP address or "localhost". Anything but loopback needs auth.</summary>
    [ConfigurationKeyName("host")] public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (the chosen address is logged).</summary>
    [ConfigurationKeyName("port")] public int Port { get; set; } = 8765;

    /// <summary>Browser origins (scheme://host[:port]) allowed to call the server; others get 403.</summary>
    [ConfigurationKeyName("allowed_origins")] public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Seconds an MCP transport session (Mcp-Session-Id) may sit unused before it is dropped.</summary>
    [ConfigurationKeyName("mcp_session_idle_timeout")] public double McpSessionIdleTimeoutSeconds { get; set; } = 7200;

    /// <summary>Idle MCP transport sessions held at once; past it the longest-idle ones are dropped (checked every 5 s).</summary>
    [ConfigurationKeyName("max_mcp_sessions")] public int MaxMcpSessions { get; set; } = 1000;

    /// <summary>Also serve the deprecated HTTP+SSE transport (<c>/mcp/sse</c> + <c>/mcp/message</c>) for old clients.</summary>
    [ConfigurationKeyName("legacy_sse")] public bool LegacySse { get; set; }

    public IEnumerable<string> Validate()
    {
        if (Port is < 0 or > 65535)
            yield return $"server.port must be between 0 and 65535, not {Port}.";
        if (string.IsNullOrWhiteSpace(Host))
            yield return "server.host must be an IP address or \"localhost\".";
        foreach (var origin in AllowedOrigins)
            if (!TryNormalizeOrigin(origin, out _))
                yield return $"server.allowed_origins: '{origin}' is not an origin; write scheme://host[:port], e.g. https://lab.example.org.";
        if (McpSessionIdleTimeoutSeconds <= 0)
            yield return "server.mcp_session_idle_timeout must be a positive number of seconds.";
        if (MaxMcpSessions <= 0)
            yield return "server.max_mcp_sessions must be positive.";
    }

    /// <summary>
    /// An origin as browsers serialise it: <c>scheme://host[:port]</c>, lower case, default port omitted.
    /// Paths, queries, user info and the opaque origin "null" are not origins.
    /// </summary>
    public static bool TryNormalizeOrigin(string text, [NotNullWhen(true)] out string? origin)
    {
        origin = null;
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.UserInfo.Length > 0
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            return false;
        origin = uri.IsDefaultPort ? $"{uri.Scheme}://{uri.Host}" : $"{uri.Scheme}://{uri.Host}:{uri.Port}";
        return true;
    }

    public TimeSpan McpSessionIdleTimeout => TimeSpan.FromSeconds(McpSessionIdleTimeoutSeconds);
}
