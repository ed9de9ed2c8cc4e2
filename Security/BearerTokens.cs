using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using MatlabMcp.Configuration;

namespace MatlabMcp.Security;

/// <summary>
/// The identities allowed in over HTTP, each with the SHA-256 hash of its token (never the token).
/// Sources: the tokens file (<c>auth.tokens_file</c>) and <c>MATLAB_MCP_AUTH_TOKEN</c> for identity "default".
/// </summary>
internal sealed class BearerTokens
{
    public const string EnvironmentVariable = "MATLAB_MCP_AUTH_TOKEN";
    public const string EnvironmentIdentity = "default";

    /// <summary>Shorter tokens are refused: they can be guessed over the network.</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>RFC 6750 b64token characters (the trailing '=' padding is checked separately).</summary>
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/");

    private static readonly SearchValues<char> IdentityChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._@");

    private readonly TokenEntry[] _entries;

    private BearerTokens(TokenEntry[] entries) => _entries = entries;

    /// <summary>True when at least one token is configured, so HTTP requests must authenticate.</summary>
    public bool IsConfigured => _entries.Length > 0;

    /// <summary>Reads the tokens file and the environment token. Throws <see cref="ConfigException"/> on any problem.</summary>
    public static BearerTokens Load(AuthOptions options, string? environmentToken)
    {
        var entries = new List<TokenEntry>();
        if (options.TokensFile.Length > 0)
        {
            string text;
            try
            {
                text = File.ReadAllText(options.TokensFile);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new ConfigException($"auth.tokens_file '{options.TokensFile}' does not exist. Create it with the line " +
                    "printed by 'matlab-mcp --generate-token --identity NAME'.");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException($"auth.tokens_file '{options.TokensFile}' cannot be read: {e.Message}");
            }
            entries.AddRange(ParseFile(text, options.TokensFile));
            if (entries.Count == 0)
                throw new ConfigException($"auth.tokens_file '{options.TokensFile}' holds no tokens. " +
                    "Append the line printed by 'matlab-mcp --generate-token --identity NAME'.");
        }
        if (!string.IsNullOrEmpty(environmentToken))
        {
            if (!IsWellFormed(environmentToken) || environmentToken.Length < MinimumTokenLength)
                throw new ConfigException($"{EnvironmentVariable} must be at least {MinimumTokenLength} characters of " +
                    "A-Z a-z 0-9 - . _ ~ + / (optionally ending in '='). 'matlab-mcp --generate-token' prints a strong one.");
            entries.Add(new TokenEntry(EnvironmentIdentity, Hash(environmentToken)));
        }
        return new BearerTokens([.. entries]);
    }

    /// <summary>
    /// Parses <c>identity:sha256-hex</c> lines; '#' starts a comment line, blank lines are skipped.
    /// Errors name the line number but never echo its text, which may be a pasted token.
    /// </summary>
    public static IReadOnlyList<TokenEntry> ParseFile(string text, string source)
    {
        var entries = new List<TokenEntry>();
        var errors = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var number = i + 1;
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var colon = line.IndexOf(':');
            var identity = colon < 0 ? "" : line[..colon].Trim();
            var hex = colon < 0 ? "" : line[(colon + 1)..].Trim();
            if (colon < 0 || !IsValidIdentity(identity))
            {
                errors.Add($"line {number}: expected 'identity:sha256-hex-of-token', where identity is 1-64 of " +
                    "A-Z a-z 0-9 - . _ @ starting with a letter or digit.");
                continue;
            }
            if (hex.Length != 64 || !IsHex(hex))
            {
                errors.Add($"line {number}: identity '{identity}' needs the token's SHA-256 as 64 hex digits after the colon " +
                    "(a plain-text token is not accepted; 'matlab-mcp --generate-token' prints the line to use).");
                continue;
            }
            var key = hex.ToLowerInvariant();
            if (seen.TryGetValue(key, out var first))
            {
                errors.Add($"line {number}: the same token hash already appears on line {first}; each token must be unique.");
                continue;
            }
            seen[key] = number;
            entries.Add(new TokenEntry(identity, Convert.FromHexString(hex)));
        }
        if (errors.Count > 0)
            throw new ConfigException($"auth.tokens_file '{source}' is malformed:\n  - " + string.Join("\n  - ", errors));
        return entries;
    }

    /// <summary>
    /// Checks a presented token against every stored hash. Hashing first and comparing fixed-length digests
    /// with <see cref="CryptographicOperations.FixedTimeEquals"/>, without stopping at a match, keeps the time
    /// independent of how much of a guess was right and of which entry matched.
    /// </summary>
    public bool TryAuthenticate(string token, [NotNullWhen(true)] out string? identity)
    {
        identity = null;
        if (!IsWellFormed(token))
            return false;
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.ASCII.GetBytes(token), presented);
        foreach (var entry in _entries)
            if (CryptographicOperations.FixedTimeEquals(presented, entry.Hash))
                identity ??= entry.Identity;
        return identity is not null;
    }

    /// <summary>A new token: 32 random bytes, base64url without padding (43 characters).</summary>
    public static string NewToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static string HashHex(string token) => Convert.ToHexStringLower(Hash(token));

    /// <summary>RFC 6750 b64token: ASCII letters, digits and - . _ ~ + /, then optional '=' padding.</summary>
    public static bool IsWellFormed(string token)
    {
        var body = token.AsSpan().TrimEnd('=');
        return body.Length > 0 && !body.ContainsAnyExcept(TokenChars);
    }

    public static bool IsValidIdentity(string identity) =>
        identity.Length is > 0 and <= 64 && char.IsAsciiLetterOrDigit(identity[0]) && !identity.AsSpan().ContainsAnyExcept(IdentityChars);

    private static bool IsHex(string text) => text.All(char.IsAsciiHexDigit);
}

/// <summary>One identity and the SHA-256 of one of its tokens.</summary>
internal sealed record TokenEntry(string Identity, byte[] Hash);
