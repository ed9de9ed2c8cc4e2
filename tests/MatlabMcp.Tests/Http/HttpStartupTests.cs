using System.Text.RegularExpressions;
using MatlabMcp.Configuration;
using MatlabMcp.Security;
using ModelContextProtocol.Client;

namespace MatlabMcp.Tests.Http;

/// <summary>What the built binary does before it serves anything: refusals with guidance, and --generate-token.</summary>
public sealed partial class HttpStartupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mcp-startup-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task NonLoopbackHost_WithoutAuth_RefusesToStartAndSaysHow()
    {
        var (exitCode, stdout, stderr) = await HttpServerProcess.RunToExitAsync(["--transport", "http", "--host", "0.0.0.0", "--port", "0"]);

        Assert.Equal(2, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("Refusing to listen on 0.0.0.0", stderr);
        Assert.Contains("--generate-token", stderr);
        Assert.Contains("auth.tokens_file", stderr);
        Assert.Contains(BearerTokens.EnvironmentVariable, stderr);
    }

    [Fact]
    public async Task PlainTextTokenInConfig_RefusesToStart()
    {
        var config = Write("config.yaml", "auth:\n  token: hunter2-hunter2-hunter2\n");

        var (exitCode, _, stderr) = await HttpServerProcess.RunToExitAsync(["--transport", "http", "--port", "0", "--config", config]);

        Assert.Equal(2, exitCode);
        Assert.Contains("'auth.token' looks like a plain-text token", stderr);
        Assert.Contains("auth.tokens_file", stderr);
        Assert.DoesNotContain("hunter2", stderr);
    }

    [Fact]
    public async Task MalformedTokensFile_RefusesToStartNamingTheLine()
    {
        var tokens = Write("tokens", $"# ok\nalice:{BearerTokens.HashHex(BearerTokens.NewToken())}\nbob:not-a-hash\n");

        var (exitCode, _, stderr) = await HttpServerProcess.RunToExitAsync(["--transport", "http", "--port", "0"],
            new Dictionary<string, string> { ["MATLAB_MCP_AUTH__TOKENS_FILE"] = tokens });

        Assert.Equal(2, exitCode);
        Assert.Contains("line 3:", stderr);
        Assert.Contains("'bob'", stderr);
    }

    [Fact]
    public async Task TokensFileNotYetCreated_StopsOnlyTheHttpServer_NotTokenGenerationOrStdio()
    {
        // The operator names the file first, then fills it with what --generate-token prints.
        var environment = new Dictionary<string, string> { ["MATLAB_MCP_AUTH__TOKENS_FILE"] = Path.Combine(_folder, "tokens-to-come") };

        var generated = await HttpServerProcess.RunToExitAsync(["--generate-token", "--identity", "carol"], environment);
        var http = await HttpServerProcess.RunToExitAsync(["--transport", "http", "--port", "0"], environment);

        Assert.Equal(0, generated.ExitCode);
        Assert.Matches(HashLine(), generated.Stdout);
        Assert.EndsWith("tokens-to-come", ConfigLoader.Load(null, environment).Auth.TokensFile); // stdio starts: it needs no tokens
        Assert.Equal(2, http.ExitCode);
        Assert.Contains("auth.tokens_file", http.Stderr);
        Assert.Contains("does not exist", http.Stderr);
    }

    [Fact]
    public async Task GenerateToken_PrintedLineHashesPrintedToken_AndTheServerAcceptsIt()
    {
        var (exitCode, stdout, _) = await HttpServerProcess.RunToExitAsync(["--generate-token", "--identity", "carol", "--port", "9123"]);

        Assert.Equal(0, exitCode);
        var token = TokenLine().Match(stdout).Groups[1].Value;
        var line = HashLine().Match(stdout).Value;
        Assert.Equal(43, token.Length);
        Assert.Equal($"carol:{BearerTokens.HashHex(token)}", line);
        Assert.Contains($"claude mcp add --transport http matlab http://127.0.0.1:9123/mcp --header \"Authorization: Bearer {token}\"", stdout);
        Assert.Contains("\"url\": \"http://127.0.0.1:9123/mcp\"", stdout);
        Assert.Contains("bearer_token_env_var = \"MATLAB_MCP_TOKEN\"", stdout);
        Assert.Contains($"export MATLAB_MCP_TOKEN={token}", stdout);

        // The round trip an operator makes: the printed line into the tokens file, the printed token into the client.
        var tokensFile = Write("tokens", line + "\n");
        await using var server = await HttpServerProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["MATLAB_MCP_AUTH__TOKENS_FILE"] = tokensFile,
        });
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = server.Endpoint,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        }));
        Assert.Contains(await client.ListToolsAsync(), t => t.Name == "execute_code");
    }

    [Fact]
    public async Task GenerateToken_InvalidIdentity_IsRefused()
    {
        var (exitCode, stdout, stderr) = await HttpServerProcess.RunToExitAsync(["--generate-token", "--identity", "bad name"]);

        Assert.Equal(2, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("--identity", stderr);
    }

    [GeneratedRegex(@"^  ([A-Za-z0-9_-]{43})$", RegexOptions.Multiline)]
    private static partial Regex TokenLine();

    [GeneratedRegex(@"(?<=^  )carol:[0-9a-f]{64}$", RegexOptions.Multiline)]
    private static partial Regex HashLine();

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
