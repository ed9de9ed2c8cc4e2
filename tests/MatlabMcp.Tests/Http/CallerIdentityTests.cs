using System.ComponentModel;
using System.Security.Claims;
using MatlabMcp.Configuration;
using MatlabMcp.Security;
using MatlabMcp.Tests.EndToEnd;
using ModelContextProtocol.Client;
using ModelContextProtocol.Server;

namespace MatlabMcp.Tests.Http;

/// <summary>
/// The authenticated identity must reach the tools (engine sessions are keyed by it) in both HTTP modes.
/// In-process hosting (<see cref="InProcessHttpServer"/>) with a probe tool in place of the engine tools.
/// </summary>
public sealed class CallerIdentityTests : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mcp-identity-").FullName;
    private readonly string _aliceToken = BearerTokens.NewToken();
    private readonly string _bobToken = BearerTokens.NewToken();
    private InProcessHttpServer _authenticated = null!;
    private InProcessHttpServer _open = null!;

    [Before(Test)]
    public async Task InitializeAsync()
    {
        var tokensFile = Path.Combine(_folder, "tokens");
        await File.WriteAllTextAsync(tokensFile, $"alice:{BearerTokens.HashHex(_aliceToken)}\nbob:{BearerTokens.HashHex(_bobToken)}\n");
        var config = new AppConfig();
        config.Auth.TokensFile = tokensFile;
        _authenticated = await StartAsync(config);
        _open = await StartAsync(new AppConfig());
    }

    public async ValueTask DisposeAsync()
    {
        await _authenticated.DisposeAsync();
        await _open.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    [Arguments("2025-11-25")]
    [Arguments(null)] // the SDK client's default, 2026-07-28: stateless
    public async Task Tool_SeesAuthenticatedIdentity(string? protocolVersion)
    {
        await using var alice = await ConnectAsync(_authenticated, _aliceToken, protocolVersion);
        await using var bob = await ConnectAsync(_authenticated, _bobToken, protocolVersion);

        await Assert.That(await WhoAmIAsync(alice)).IsEqualTo("alice");
        await Assert.That(await WhoAmIAsync(bob)).IsEqualTo("bob");
    }

    [Test]
    [Arguments("2025-11-25")]
    [Arguments(null)]
    public async Task Tool_WithoutAuthConfigured_SeesLocal(string? protocolVersion)
    {
        await using var client = await ConnectAsync(_open, token: null, protocolVersion);

        await Assert.That(await WhoAmIAsync(client)).IsEqualTo(CallerIdentity.Local);
    }

    [Test]
    public async Task Of_NoOrAnonymousUser_IsLocal()
    {
        await Assert.That(CallerIdentity.Of(null)).IsEqualTo("local");
        await Assert.That(CallerIdentity.Of(new ClaimsPrincipal(new ClaimsIdentity()))).IsEqualTo("local");
        await Assert.That(CallerIdentity.Of(CallerIdentity.Principal("carol", "Bearer"))).IsEqualTo("carol");
    }

    private static Task<InProcessHttpServer> StartAsync(AppConfig config) => InProcessHttpServer.StartAsync(config);

    private static Task<McpClient> ConnectAsync(InProcessHttpServer server, string? token, string? protocolVersion) =>
        server.ConnectAsync(token, protocolVersion);

    private static async Task<string> WhoAmIAsync(McpClient client) =>
        StdioServerTests.Text(await client.CallToolAsync("whoami", new Dictionary<string, object?>()));
}

[McpServerToolType]
public sealed class IdentityProbeTools
{
    /// <summary>The default value matters: without one the SDK refuses to call the tool when nobody authenticated.</summary>
    [McpServerTool(Name = "whoami"), Description("The caller identity as tools see it.")]
    public static string WhoAmI(ClaimsPrincipal? user = null) => CallerIdentity.Of(user);
}
