using MatlabMcp.Configuration;

namespace MatlabMcp.Security;

/// <summary>
/// <c>--generate-token</c>: a fresh token, the tokens-file line holding its hash, and client snippets.
/// The token is shown once here and stored nowhere by the server.
/// </summary>
internal static class TokenCommand
{
    /// <summary>The environment variable the client snippets read the token from.</summary>
    public const string ClientVariable = "MATLAB_MCP_TOKEN";

    /// <summary>--generate-token [--identity NAME]: prints the token and how to use it; the exit code.</summary>
    public static async Task<int> RunAsync(CommandLine cli, AppConfig config)
    {
        var identity = cli.Identity ?? BearerTokens.EnvironmentIdentity;
        if (!BearerTokens.IsValidIdentity(identity))
        {
            await Console.Error.WriteLineAsync("matlab-mcp: --identity must be 1-64 of A-Z a-z 0-9 - . _ @, starting with a letter or digit.");
            return 2;
        }
        var url = UrlFor(cli.Host ?? config.Server.Host, cli.Port ?? config.Server.Port);
        await Console.Out.WriteAsync(Render(identity, BearerTokens.NewToken(), url, config.Auth));
        return 0;
    }

    public static string Render(string identity, string token, string url, AuthOptions auth)
    {
        var line = $"{identity}:{BearerTokens.HashHex(token)}";
        var file = auth.TokensFile.Length > 0 ? auth.TokensFile : "/etc/matlab-mcp/tokens";
        var setFile = auth.TokensFile.Length > 0 ? "" :
            $"   and name that file in config.yaml (auth: tokens_file: {file}) or MATLAB_MCP_AUTH__TOKENS_FILE.\n";
        var variable = "${" + ClientVariable + "}";
        var mcpJson = "{\"mcpServers\": {\"matlab\": {\"type\": \"http\", \"url\": \"" + url +
            "\", \"headers\": {\"Authorization\": \"Bearer " + variable + "\"}}}}";
        return $$"""
            New token for identity '{{identity}}' (shown only now; the server keeps just its SHA-256):

              {{token}}

            1. On the server, append this line to the tokens file and restart matlab-mcp:

              {{line}}

               e.g.  echo '{{line}}' >> {{file}}
            {{setFile}}
            2. On each client machine, give the token to the MCP client.

            Claude Code:
              claude mcp add --transport http matlab {{url}} --header "Authorization: Bearer {{token}}"

            .mcp.json (Claude Code expands {{variable}} from the environment, so the file can be shared):
              {{mcpJson}}

            Codex (~/.codex/config.toml):
              [mcp_servers.matlab]
              url = "{{url}}"
              bearer_token_env_var = "{{ClientVariable}}"

            For the last two, set the token in the client's environment:
              export {{ClientVariable}}={{token}}

            """;
    }

    /// <summary>The URL clients use; a wildcard bind address is replaced by this machine's name.</summary>
    public static string UrlFor(string host, int port)
    {
        var name = host is "0.0.0.0" or "::" or "[::]" ? Environment.MachineName
            : host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        return $"http://{name}:{(port == 0 ? 8765 : port)}/mcp";
    }
}
