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

    [Test]
    public async Task NonLoopbackHost_WithoutAuth_RefusesToStartAndSaysHow()
    {
        var (exitCode, stdout, stderr) = await HttpServerProcess.RunToExitAsync(["--transport", "http", "--host", "0.0.0.0", "--port", "0"]);

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(stdout).IsEmpty();
        await Assert.That(stderr).Contains("Refusing to listen on 0.0.0.0");
        await Assert.That(stderr).Contains("--generate-token");
        await Assert.That(stderr).Contains("auth.tokens_file");
        await Assert.That(stderr).Contains(BearerTokens.EnvironmentVariable);
    }

    [Test]
    public async Task PlainTextTokenInConfig_RefusesToStart()
    {
        var config = Write("config.yaml", "auth:\n  token: hunter2-hunter2-hunter2\n");

        var (exitCode, _, stderr) = await HttpServerProcess.RunToExitAsync(["--transport", "http", "--port", "0", "--config", config]);

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(stderr).Contains("'auth.token' looks like a plain-text token");
        await Assert.That(stderr).Contains("auth.tokens_file");
        await Assert.That(stderr).DoesNotContain("hunter2");
    }

    [Test]
    public async Task MalformedTokensFile_RefusesToStartNamingTheLine()
    {
        var tokens = Write("tokens", $"# ok\nalice:{BearerTokens.HashHex(BearerTokens.NewToken())}\nbob:not-a-hash\n");

        var (exitCode, _, stderr) = await HttpServerProcess.RunToExitAsync(["--transport", "http", "--port", "0"],
            new Dictionary<string, string> { ["MATLAB_MCP_AUTH__TOKENS_FILE"] = tokens });

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(stderr).Contains("line 3:");
        await Assert.That(stderr).Contains("'bob'");
    }

    [Test]
    public async Task TokensFileNotYetCreated_StopsOnlyTheHttpServer_NotTokenGenerationOrStdio()
    {
        // The operator names the file first, then fills it with what --generate-token prints.
        var environment = new Dictionary<string, string> { ["MATLAB_MCP_AUTH__TOKENS_FILE"] = Path.Combine(_folder, "tokens-to-come") };

        var generated = await HttpServerProcess.RunToExitAsync(["--generate-token", "--identity", "carol"], environment);
        var http = await HttpServerProcess.RunToExitAsync(["--transport", "http", "--port", "0"], environment);

        await Assert.That(generated.ExitCode).IsEqualTo(0);
        await Assert.That(generated.Stdout).Matches(HashLine());
        await Assert.That(ConfigLoader.Load(null, environment).Auth.TokensFile).EndsWith("tokens-to-come"); // stdio starts: it needs no tokens
        await Assert.That(http.ExitCode).IsEqualTo(2);
        await Assert.That(http.Stderr).Contains("auth.tokens_file");
        await Assert.That(http.Stderr).Contains("does not exist");
    }

    [Test]
    public async Task GenerateToken_PrintedLineHashesPrintedToken_AndTheServerAcceptsIt()
    {
        var (exitCode, stdout, _) = await HttpServerProcess.RunToExitAsync(["--generate-token", "--identity", "carol", "--port", "9123"]);

        await Assert.That(exitCode).IsEqualTo(0);
        var token = TokenLine().Match(stdout).Groups[1].Value;
        var line = HashLine().Match(stdout).Value;
        await Assert.That(token.Length).IsEqualTo(43);
        await Assert.That(line).IsEqualTo($"carol:{BearerTokens.HashHex(token)}");
        await Assert.That(stdout).Contains($"claude mcp add --transport http matlab http://127.0.0.1:9123/mcp --header \"Authorization: Bearer {token}\"");
        await Assert.That(stdout).Contains("\"url\": \"http://127.0.0.1:9123/mcp\"");
        await Assert.That(stdout).Contains("bearer_token_env_var = \"MATLAB_MCP_TOKEN\"");
        await Assert.That(stdout).Contains($"export MATLAB_MCP_TOKEN={token}");

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
        await Assert.That(await client.ListToolsAsync()).Contains(t => t.Name == "execute_code");
    }

    [Test]
    public async Task GenerateToken_InvalidIdentity_IsRefused()
    {
        var (exitCode, stdout, stderr) = await HttpServerProcess.RunToExitAsync(["--generate-token", "--identity", "bad name"]);

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(stdout).IsEmpty();
        await Assert.That(stderr).Contains("--identity");
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
