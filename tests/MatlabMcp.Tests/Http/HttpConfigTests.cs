using MatlabMcp.Configuration;
using MatlabMcp.Endpoints.Http;
using MatlabMcp.Security;

namespace MatlabMcp.Tests.Http;

/// <summary>The server/auth settings, the command line, and the rules that decide whether HTTP may start.</summary>
public sealed class HttpConfigTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mcp-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Environment_MultiWordKeyAndList_OverrideYaml()
    {
        var yaml = Write("config.yaml", "server:\n  mcp_session_idle_timeout: 10\n  allowed_origins: [http://yaml.example]\n");

        var config = ConfigLoader.Load(yaml, new Dictionary<string, string>
        {
            ["MATLAB_MCP_SERVER__MCP_SESSION_IDLE_TIMEOUT"] = "90",
            ["MATLAB_MCP_SERVER__ALLOWED_ORIGINS"] = "http://a.example, https://b.example:8443",
            ["MATLAB_MCP_SERVER__MAX_MCP_SESSIONS"] = "7",
        });

        Assert.Equal(90, config.Server.McpSessionIdleTimeoutSeconds);
        Assert.Equal(["http://a.example", "https://b.example:8443"], config.Server.AllowedOrigins);
        Assert.Equal(7, config.Server.MaxMcpSessions);
    }

    [Fact]
    public void Yaml_ServerAndAuthSections_AreRead()
    {
        var tokens = Write("tokens", "");
        var yaml = Write("config.yaml", $"server:\n  host: 0.0.0.0\n  port: 9000\n  allowed_origins:\n    - https://lab.example.org\nauth:\n  tokens_file: {tokens}\n");

        var config = ConfigLoader.Load(yaml, new Dictionary<string, string>());

        Assert.Equal("0.0.0.0", config.Server.Host);
        Assert.Equal(9000, config.Server.Port);
        Assert.Equal(["https://lab.example.org"], config.Server.AllowedOrigins);
        Assert.Equal(tokens, config.Auth.TokensFile);
    }

    [Theory]
    [InlineData("auth:\n  token: s3cret-token-value\n", "auth.token")]
    [InlineData("auth:\n  tokens: [abc, def]\n", "auth.tokens")]
    [InlineData("auth:\n  tokens:\n    alice: abc\n", "auth.tokens.alice")]
    [InlineData("server:\n  token: abc\n", "server.token")]
    [InlineData("token: abc\n", "token")]
    public void Yaml_PlainTextToken_IsRefusedWithWhereTokensBelong(string yaml, string key)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Write("config.yaml", yaml), new Dictionary<string, string>()));

        Assert.Contains($"'{key}'", error.Message);
        Assert.Contains("auth.tokens_file", error.Message);
        Assert.Contains("sha256", error.Message);
        Assert.Contains("--generate-token", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Fact]
    public void Environment_PlainTextTokenKey_IsRefused_ButTheTokenVariableIsNotAConfigKey()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(null,
            new Dictionary<string, string> { ["MATLAB_MCP_AUTH__TOKEN"] = "abc" }));
        Assert.Contains("MATLAB_MCP_AUTH_TOKEN", error.Message);

        ConfigLoader.Load(null, new Dictionary<string, string> { [BearerTokens.EnvironmentVariable] = "abc" });
    }

    [Theory]
    [InlineData("server:\n  port: 70000\n", "server.port")]
    [InlineData("server:\n  allowed_origins: [http://a.example/path]\n", "server.allowed_origins")]
    [InlineData("server:\n  allowed_origins: ['*']\n", "server.allowed_origins")]
    [InlineData("server:\n  mcp_session_idle_timeout: -1\n", "server.mcp_session_idle_timeout")]
    public void Yaml_InvalidServerOrAuthValue_IsRejectedNamingTheKey(string yaml, string key)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Write("config.yaml", yaml), new Dictionary<string, string>()));

        Assert.Contains(key, error.Message);
    }

    [Theory]
    [InlineData("http://Good.Example:80", "http://good.example")]
    [InlineData("https://lab.example.org/", "https://lab.example.org")]
    [InlineData("http://localhost:6274", "http://localhost:6274")]
    [InlineData("http://[::1]:3000", "http://[::1]:3000")]
    public void TryNormalizeOrigin_WritesOriginsAsBrowsersSendThem(string text, string expected)
    {
        Assert.True(ServerOptions.TryNormalizeOrigin(text, out var origin));
        Assert.Equal(expected, origin);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("good.example")]
    [InlineData("http://user@good.example")]
    [InlineData("http://good.example/app")]
    [InlineData("http://good.example?x=1")]
    public void TryNormalizeOrigin_NotAnOrigin_IsFalse(string text) =>
        Assert.False(ServerOptions.TryNormalizeOrigin(text, out _));

    [Fact]
    public void TokensFile_CommentsBlankLinesAndCrlf_AreAccepted()
    {
        var alice = BearerTokens.NewToken();
        var bob = BearerTokens.NewToken();
        var text = $"# lab\r\n\r\n  alice : {BearerTokens.HashHex(alice)}  \r\nbob:{BearerTokens.HashHex(bob).ToUpperInvariant()}\r\n   # old\n";

        var entries = BearerTokens.ParseFile(text, "tokens");

        Assert.Equal(["alice", "bob"], entries.Select(e => e.Identity));
    }

    [Fact]
    public void TokensFile_MalformedLines_AllReportedByLineNumberWithoutTheirText()
    {
        var good = BearerTokens.HashHex(BearerTokens.NewToken());
        var text = $"alice:{good}\nbob:my-plain-secret-token\nno colon here\n:{good[..63]}f\ncarol:{good}\nbad id!:{BearerTokens.HashHex("x")}\n";

        var error = Assert.Throws<ConfigException>(() => BearerTokens.ParseFile(text, "/etc/matlab-mcp/tokens"));

        Assert.Contains("/etc/matlab-mcp/tokens", error.Message);
        Assert.Contains("line 2:", error.Message);
        Assert.Contains("line 3:", error.Message);
        Assert.Contains("line 4:", error.Message);
        Assert.Contains("line 5: the same token hash already appears on line 1", error.Message);
        Assert.Contains("line 6:", error.Message);
        Assert.DoesNotContain("line 1:", error.Message);
        Assert.DoesNotContain("my-plain-secret-token", error.Message);
        Assert.Contains("plain-text token is not accepted", error.Message);
    }

    [Fact]
    public void Load_MissingTokensFile_SaysSoAndHowToMakeIt()
    {
        var options = new AuthOptions { TokensFile = Path.Combine(_folder, "no-such-tokens") };

        var error = Assert.Throws<ConfigException>(() => BearerTokens.Load(options, environmentToken: null));

        Assert.Contains("auth.tokens_file", error.Message);
        Assert.Contains("does not exist", error.Message);
        Assert.Contains("--generate-token", error.Message);
    }

    [Fact]
    public void Load_TokensFileWithoutTokens_IsAnError()
    {
        var options = new AuthOptions { TokensFile = Write("tokens", "# nobody yet\n") };

        var error = Assert.Throws<ConfigException>(() => BearerTokens.Load(options, environmentToken: null));

        Assert.Contains("--generate-token", error.Message);
    }

    [Fact]
    public void TryAuthenticate_MatchesOnlyTheRightTokenAndNamesItsIdentity()
    {
        var alice = BearerTokens.NewToken();
        var fromEnvironment = BearerTokens.NewToken();
        var tokens = BearerTokens.Load(new AuthOptions { TokensFile = Write("tokens", $"alice:{BearerTokens.HashHex(alice)}\n") }, fromEnvironment);

        Assert.True(tokens.TryAuthenticate(alice, out var identity));
        Assert.Equal("alice", identity);
        Assert.True(tokens.TryAuthenticate(fromEnvironment, out identity));
        Assert.Equal(BearerTokens.EnvironmentIdentity, identity);
        Assert.False(tokens.TryAuthenticate(alice[..^1], out _));
        Assert.False(tokens.TryAuthenticate(alice + "x", out _));
        Assert.False(tokens.TryAuthenticate("ñ" + alice[1..], out _));
        Assert.False(tokens.TryAuthenticate(BearerTokens.HashHex(alice), out _));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has spaces in it, long enough")]
    [InlineData("nön-ascii-token-long-enough")]
    public void Load_WeakOrMalformedEnvironmentToken_IsRefused(string token)
    {
        var error = Assert.Throws<ConfigException>(() => BearerTokens.Load(new AuthOptions(), token));

        Assert.Contains(BearerTokens.EnvironmentVariable, error.Message);
    }

    [Fact]
    public void NewToken_Is32RandomBytesInBase64Url()
    {
        var token = BearerTokens.NewToken();

        Assert.Equal(43, token.Length);
        Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(token).Length);
        Assert.NotEqual(token, BearerTokens.NewToken());
    }

    [Fact]
    public void CommandLine_HttpFlags_AreParsed()
    {
        var cli = CommandLine.Parse(["--transport", "http", "--host", "::1", "--port", "0", "--verbose"]);

        Assert.Equal("http", cli.Transport);
        Assert.Equal("::1", cli.Host);
        Assert.Equal(0, cli.Port);
        Assert.True(CommandLine.Parse(["--generate-token", "--identity", "alice"]) is { GenerateToken: true, Identity: "alice" });
    }

    [Theory]
    [InlineData("--transport", "sse")]
    [InlineData("--port", "65536")]
    [InlineData("--port", "-1")]
    [InlineData("--port", "http")]
    [InlineData("--identity", "alice")]
    [InlineData("--host", "0.0.0.0")]
    public void CommandLine_BadHttpFlags_AreRejected(params string[] args) =>
        Assert.Throws<ArgumentException>(() => CommandLine.Parse(args));

    [Fact]
    public void Resolve_CommandLineWinsOverConfig()
    {
        var config = new AppConfig();
        config.Server.Host = "10.1.2.3";
        config.Server.Port = 1234;

        var listen = HttpListenSettings.Resolve(new CommandLine("http", null, false) { Host = "127.0.0.1", Port = 5678 }, config, null);

        Assert.Equal("127.0.0.1", listen.Host);
        Assert.Equal(5678, listen.Port);
        Assert.True(listen.IsLoopback);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.168.1.10")]
    public void Resolve_NonLoopbackWithoutTokens_RefusesAndSaysHow(string host)
    {
        var error = Assert.Throws<ConfigException>(() =>
            HttpListenSettings.Resolve(new CommandLine("http", null, false) { Host = host }, new AppConfig(), null));

        Assert.Contains("without authentication", error.Message);
        Assert.Contains("--generate-token", error.Message);
        Assert.Contains("auth.tokens_file", error.Message);
        Assert.Contains(BearerTokens.EnvironmentVariable, error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Resolve_LoopbackWithoutTokens_IsAllowed(string host) =>
        Assert.True(HttpListenSettings.Resolve(new CommandLine("http", null, false) { Host = host }, new AppConfig(), null).IsLoopback);

    [Fact]
    public void Resolve_NonLoopbackWithToken_IsAllowed()
    {
        var listen = HttpListenSettings.Resolve(new CommandLine("http", null, false) { Host = "0.0.0.0" }, new AppConfig(), BearerTokens.NewToken());

        Assert.False(listen.IsLoopback);
        Assert.True(listen.Tokens.IsConfigured);
    }

    [Fact]
    public void Resolve_HostName_IsRefused() =>
        Assert.Throws<ConfigException>(() =>
            HttpListenSettings.Resolve(new CommandLine("http", null, false) { Host = "lab.example.org" }, new AppConfig(), null));

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
