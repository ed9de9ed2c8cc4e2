using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>Bearer-token auth for HTTP. Tokens themselves never appear in config, only their SHA-256 hashes.</summary>
internal sealed class AuthOptions : IConfigSection<AuthOptions>
{
    /// <summary>
    /// File of <c>identity:sha256-hex-of-token</c> lines (see <c>--generate-token</c>); empty means none. It is read,
    /// and a missing one reported, only by the HTTP transport: stdio needs no tokens, and --generate-token prints
    /// what goes into a new file.
    /// </summary>
    [ConfigurationKeyName("tokens_file")] public string TokensFile { get; set; } = "";

    /// <summary>Nothing to check here: the tokens file is read, and a missing one reported, by the HTTP transport.</summary>
    public IEnumerable<string> Validate() => [];

    /// <summary>
    /// Why a key that looks like it holds a secret is refused, or null for any other key. A token written
    /// into config.yaml ends up in backups, repositories and process listings, so we stop at start instead
    /// of quietly ignoring it as an unknown key.
    /// </summary>
    public static string? RefusalFor(string key)
    {
        var dot = key.LastIndexOf('.');
        var name = key[(dot + 1)..];
        var inAuth = key.StartsWith("auth.", StringComparison.Ordinal) && key != "auth.tokens_file";
        if (!inAuth && name is not ("token" or "tokens" or "api_key" or "api_token" or "auth_token" or "bearer_token" or "secret" or "password"))
            return null;
        return $"'{key}' looks like a plain-text token; tokens are never stored in config. Put one " +
            "'identity:sha256-hex-of-token' line per user in the tokens file named by auth.tokens_file " +
            "('matlab-mcp --generate-token --identity NAME' prints a token and its line), or set a single token " +
            "in the MATLAB_MCP_AUTH_TOKEN environment variable.";
    }
}
