using MatlabMcp.Configuration;
using MatlabMcp.Endpoints.Http;
using MatlabMcp.Security;

namespace MatlabMcp.Tests.Http;

/// <summary>The server/auth settings, the command line, and the rules that decide whether HTTP may start.</summary>
public sealed class HttpConfigTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mcp-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task Environment_MultiWordKeyAndList_OverrideYaml()
    {
        var yaml = Write("config.yaml", "server:\n  mcp_session_idle_timeout: 10\n  allowed_origins: [http://yaml.example]\n");

        var config = ConfigLoader.Load(yaml, new Dictionary<string, string>
        {
            ["MATLAB_MCP_SERVER__MCP_SESSION_IDLE_TIMEOUT"] = "90",
            ["MATLAB_MCP_SERVER__ALLOWED_ORIGINS"] = "http://a.example, https://b.example:8443",
            ["MATLAB_MCP_SERVER__MAX_MCP_SESSIONS"] = "7",
        });

        await Assert.That(config.Server.McpSessionIdleTimeoutSeconds).IsEqualTo(90);
        await Assert.That(config.Server.AllowedOrigins).IsEquivalentTo(["http://a.example", "https://b.example:8443"], CollectionOrdering.Matching);
        await Assert.That(config.Server.MaxMcpSessions).IsEqualTo(7);
    }

    [Test]
    public async Task Yaml_ServerAndAuthSections_AreRead()
    {
        var tokens = Write("tokens", "");
        var yaml = Write("config.yaml", $"server:\n  host: 0.0.0.0\n  port: 9000\n  allowed_origins:\n    - https://lab.example.org\nauth:\n  tokens_file: {tokens}\n");

        var config = ConfigLoader.Load(yaml, new Dictionary<string, string>());

        await Assert.That(config.Server.Host).IsEqualTo("0.0.0.0");
        await Assert.That(config.Server.Port).IsEqualTo(9000);
        await Assert.That(config.Server.AllowedOrigins).IsEquivalentTo(["https://lab.example.org"], CollectionOrdering.Matching);
        await Assert.That(config.Auth.TokensFile).IsEqualTo(tokens);
    }

    [Test]
    [Arguments("auth:\n  token: s3cret-token-value\n", "auth.token")]
    [Arguments("auth:\n  tokens: [abc, def]\n", "auth.tokens")]
    [Arguments("auth:\n  tokens:\n    alice: abc\n", "auth.tokens.alice")]
    [Arguments("server:\n  token: abc\n", "server.token")]
    [Arguments("token: abc\n", "token")]
    public async Task Yaml_PlainTextToken_IsRefusedWithWhereTokensBelong(string yaml, string key)
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Load(Write("config.yaml", yaml), new Dictionary<string, string>()));

        await Assert.That(error.Message).Contains($"'{key}'");
        await Assert.That(error.Message).Contains("auth.tokens_file");
        await Assert.That(error.Message).Contains("sha256");
        await Assert.That(error.Message).Contains("--generate-token");
        await Assert.That(error.Message).DoesNotContain("s3cret");
    }

    [Test]
    public async Task Environment_PlainTextTokenKey_IsRefused_ButTheTokenVariableIsNotAConfigKey()
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Load(null,
            new Dictionary<string, string> { ["MATLAB_MCP_AUTH__TOKEN"] = "abc" }));
        await Assert.That(error.Message).Contains("MATLAB_MCP_AUTH_TOKEN");

        ConfigLoader.Load(null, new Dictionary<string, string> { [BearerTokens.EnvironmentVariable] = "abc" });
    }

    [Test]
    [Arguments("server:\n  port: 70000\n", "server.port")]
    [Arguments("server:\n  allowed_origins: [http://a.example/path]\n", "server.allowed_origins")]
    [Arguments("server:\n  allowed_origins: ['*']\n", "server.allowed_origins")]
    [Arguments("server:\n  mcp_session_idle_timeout: -1\n", "server.mcp_session_idle_timeout")]
    public async Task Yaml_InvalidServerOrAuthValue_IsRejectedNamingTheKey(string yaml, string key)
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Load(Write("config.yaml", yaml), new Dictionary<string, string>()));

        await Assert.That(error.Message).Contains(key);
    }

    [Test]
    [Arguments("http://Good.Example:80", "http://good.example")]
    [Arguments("https://lab.example.org/", "https://lab.example.org")]
    [Arguments("http://localhost:6274", "http://localhost:6274")]
    [Arguments("http://[::1]:3000", "http://[::1]:3000")]
    public async Task TryNormalizeOrigin_WritesOriginsAsBrowsersSendThem(string text, string expected)
    {
        await Assert.That(ServerOptions.TryNormalizeOrigin(text, out var origin)).IsTrue();
        await Assert.That(origin).IsEqualTo(expected);
    }

    [Test]
    [Arguments("null")]
    [Arguments("good.example")]
    [Arguments("http://user@good.example")]
    [Arguments("http://good.example/app")]
    [Arguments("http://good.example?x=1")]
    public async Task TryNormalizeOrigin_NotAnOrigin_IsFalse(string text) =>
        await Assert.That(ServerOptions.TryNormalizeOrigin(text, out _)).IsFalse();

    [Test]
    public async Task TokensFile_CommentsBlankLinesAndCrlf_AreAccepted()
    {
        var alice = BearerTokens.NewToken();
        var bob = BearerTokens.NewToken();
        var text = $"# lab\r\n\r\n  alice : {BearerTokens.HashHex(alice)}  \r\nbob:{BearerTokens.HashHex(bob).ToUpperInvariant()}\r\n   # old\n";

        var entries = BearerTokens.ParseFile(text, "tokens");

        await Assert.That(entries.Select(e => e.Identity)).IsEquivalentTo(["alice", "bob"], CollectionOrdering.Matching);
    }

    [Test]
    public async Task TokensFile_MalformedLines_AllReportedByLineNumberWithoutTheirText()
    {
        var good = BearerTokens.HashHex(BearerTokens.NewToken());
        var text = $"alice:{good}\nbob:my-plain-secret-token\nno colon here\n:{good[..63]}f\ncarol:{good}\nbad id!:{BearerTokens.HashHex("x")}\n";

        var error = Assert.ThrowsExactly<ConfigException>(() => BearerTokens.ParseFile(text, "/etc/matlab-mcp/tokens"));

        await Assert.That(error.Message).Contains("/etc/matlab-mcp/tokens");
        await Assert.That(error.Message).Contains("line 2:");
        await Assert.That(error.Message).Contains("line 3:");
        await Assert.That(error.Message).Contains("line 4:");
        await Assert.That(error.Message).Contains("line 5: the same token hash already appears on line 1");
        await Assert.That(error.Message).Contains("line 6:");
        await Assert.That(error.Message).DoesNotContain("line 1:");
        await Assert.That(error.Message).DoesNotContain("my-plain-secret-token");
        await Assert.That(error.Message).Contains("plain-text token is not accepted");
    }

    [Test]
    public async Task Load_MissingTokensFile_SaysSoAndHowToMakeIt()
    {
        var options = new AuthOptions { TokensFile = Path.Combine(_folder, "no-such-tokens") };

        var error = Assert.ThrowsExactly<ConfigException>(() => BearerTokens.Load(options, environmentToken: null));

        await Assert.That(error.Message).Contains("auth.tokens_file");
        await Assert.That(error.Message).Contains("does not exist");
        await Assert.That(error.Message).Contains("--generate-token");
    }

    [Test]
    public async Task Load_TokensFileWithoutTokens_IsAnError()
    {
        var options = new AuthOptions { TokensFile = Write("tokens", "# nobody yet\n") };

        var error = Assert.ThrowsExactly<ConfigException>(() => BearerTokens.Load(options, environmentToken: null));

        await Assert.That(error.Message).Contains("--generate-token");
    }

    [Test]
    public async Task TryAuthenticate_MatchesOnlyTheRightTokenAndNamesItsIdentity()
    {
        var alice = BearerTokens.NewToken();
        var fromEnvironment = BearerTokens.NewToken();
        var tokens = BearerTokens.Load(new AuthOptions { TokensFile = Write("tokens", $"alice:{BearerTokens.HashHex(alice)}\n") }, fromEnvironment);

        await Assert.That(tokens.TryAuthenticate(alice, out var identity)).IsTrue();
        await Assert.That(identity).IsEqualTo("alice");
        await Assert.That(tokens.TryAuthenticate(fromEnvironment, out identity)).IsTrue();
        await Assert.That(identity).IsEqualTo(BearerTokens.EnvironmentIdentity);
        await Assert.That(tokens.TryAuthenticate(alice[..^1], out _)).IsFalse();
        await Assert.That(tokens.TryAuthenticate(alice + "x", out _)).IsFalse();
        await Assert.That(tokens.TryAuthenticate("ñ" + alice[1..], out _)).IsFalse();
        await Assert.That(tokens.TryAuthenticate(BearerTokens.HashHex(alice), out _)).IsFalse();
    }

    [Test]
    [Arguments("short")]
    [Arguments("has spaces in it, long enough")]
    [Arguments("nön-ascii-token-long-enough")]
    public async Task Load_WeakOrMalformedEnvironmentToken_IsRefused(string token)
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => BearerTokens.Load(new AuthOptions(), token));

        await Assert.That(error.Message).Contains(BearerTokens.EnvironmentVariable);
    }

    [Test]
    public async Task NewToken_Is32RandomBytesInBase64Url()
    {
        var token = BearerTokens.NewToken();

        await Assert.That(token.Length).IsEqualTo(43);
        await Assert.That(System.Buffers.Text.Base64Url.DecodeFromChars(token).Length).IsEqualTo(32);
        await Assert.That(BearerTokens.NewToken()).IsNotEqualTo(token);
    }

    [Test]
    public async Task CommandLine_HttpFlags_AreParsed()
    {
        var cli = CommandLine.Parse(["--transport", "http", "--host", "::1", "--port", "0", "--verbose"]);

        await Assert.That(cli.Transport).IsEqualTo("http");
        await Assert.That(cli.Host).IsEqualTo("::1");
        await Assert.That(cli.Port).IsEqualTo(0);
        await Assert.That(CommandLine.Parse(["--generate-token", "--identity", "alice"]) is { GenerateToken: true, Identity: "alice" }).IsTrue();
    }

    [Test]
    [Arguments("--transport", "sse")]
    [Arguments("--port", "65536")]
    [Arguments("--port", "-1")]
    [Arguments("--port", "http")]
    [Arguments("--identity", "alice")]
    [Arguments("--host", "0.0.0.0")]
    public void CommandLine_BadHttpFlags_AreRejected(params string[] args) =>
        Assert.ThrowsExactly<ArgumentException>(() => CommandLine.Parse(args));

    [Test]
    public async Task Resolve_CommandLineWinsOverConfig()
    {
        var config = new AppConfig();
        config.Server.Host = "10.1.2.3";
        config.Server.Port = 1234;

        var listen = HttpListenSettings.Resolve(new CommandLine("http", null, false) { Host = "127.0.0.1", Port = 5678 }, config, null);

        await Assert.That(listen.Host).IsEqualTo("127.0.0.1");
        await Assert.That(listen.Port).IsEqualTo(5678);
        await Assert.That(listen.IsLoopback).IsTrue();
    }

    [Test]
    [Arguments("0.0.0.0")]
    [Arguments("::")]
    [Arguments("192.168.1.10")]
    public async Task Resolve_NonLoopbackWithoutTokens_RefusesAndSaysHow(string host)
    {
        var error = Assert.ThrowsExactly<ConfigException>(() =>
            HttpListenSettings.Resolve(new CommandLine("http", null, false) { Host = host }, new AppConfig(), null));

        await Assert.That(error.Message).Contains("without authentication");
        await Assert.That(error.Message).Contains("--generate-token");
        await Assert.That(error.Message).Contains("auth.tokens_file");
        await Assert.That(error.Message).Contains(BearerTokens.EnvironmentVariable);
    }

    [Test]
    [Arguments("127.0.0.1")]
    [Arguments("::1")]
    [Arguments("localhost")]
    public async Task Resolve_LoopbackWithoutTokens_IsAllowed(string host) =>
        await Assert.That(HttpListenSettings.Resolve(new CommandLine("http", null, false) { Host = host }, new AppConfig(), null).IsLoopback).IsTrue();

    [Test]
    public async Task Resolve_NonLoopbackWithToken_IsAllowed()
    {
        var listen = HttpListenSettings.Resolve(new CommandLine("http", null, false) { Host = "0.0.0.0" }, new AppConfig(), BearerTokens.NewToken());

        await Assert.That(listen.IsLoopback).IsFalse();
        await Assert.That(listen.Tokens.IsConfigured).IsTrue();
    }

    [Test]
    public void Resolve_HostName_IsRefused() =>
        Assert.ThrowsExactly<ConfigException>(() =>
            HttpListenSettings.Resolve(new CommandLine("http", null, false) { Host = "lab.example.org" }, new AppConfig(), null));

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
