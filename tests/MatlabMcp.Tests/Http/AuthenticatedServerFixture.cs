using MatlabMcp.Security;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;

namespace MatlabMcp.Tests.Http;

/// <summary>
/// One HTTP server shared by a test class: tokens for alice and bob in a tokens file, one for "default" in
/// MATLAB_MCP_AUTH_TOKEN, and two allowed origins. The file and the origins arrive through
/// MATLAB_MCP_SECTION__KEY variables, so these tests also prove that multi-word keys and lists reach the server.
/// </summary>
public sealed class AuthenticatedServerFixture : IAsyncInitializer, IAsyncDisposable
{
    public const string AllowedOrigin = "http://good.example";
    public const string OtherAllowedOrigin = "https://other.example:8443";

    /// <summary>Outside /tmp and HOME, which the engine sandbox hides anyway: the test must see the tokens file hidden itself.</summary>
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, $"tokens-{Guid.NewGuid():N}")).FullName;
    private HttpServerProcess _server = null!;

    public string AliceToken { get; } = BearerTokens.NewToken();
    public string BobToken { get; } = BearerTokens.NewToken();
    public string DefaultToken { get; } = BearerTokens.NewToken();

    internal HttpServerProcess Server => _server;

    /// <summary>World-readable on purpose, as /etc/matlab-mcp/tokens often is: only the sandbox keeps engines out.</summary>
    public string TokensFile => Path.Combine(_folder, "tokens");

    public async Task InitializeAsync()
    {
        File.SetUnixFileMode(_folder, (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(TokensFile,
            $"# lab tokens\n\nalice:{BearerTokens.HashHex(AliceToken)}\nbob:{BearerTokens.HashHex(BobToken).ToUpperInvariant()}\n");
        File.SetUnixFileMode(TokensFile, (UnixFileMode)0b110_100_100);
        _server = await HttpServerProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["MATLAB_MCP_AUTH__TOKENS_FILE"] = TokensFile,
            ["MATLAB_MCP_SERVER__ALLOWED_ORIGINS"] = $"{AllowedOrigin},{OtherAllowedOrigin}",
            [BearerTokens.EnvironmentVariable] = DefaultToken,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The C# SDK client over Streamable HTTP; <paramref name="protocolVersion"/> null = its default (2026-07-28).</summary>
    public Task<McpClient> ConnectAsync(string? token, string? protocolVersion = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = _server.Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = token is null ? null : new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        });
        return McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion, DiscoverProbeTimeout = ServerProcess.DiscoverProbe });
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = _server.BaseAddress };
}
