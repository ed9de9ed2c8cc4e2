using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MatlabMcp.Configuration;
using MatlabMcp.Endpoints.Http;
using MatlabMcp.Security;
using MatlabMcp.Tests.EndToEnd;
using MatlabMcp.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;

namespace MatlabMcp.Tests.Http;

/// <summary>
/// What the HTTP hosting adds around the SDK's MapMcp: DNS-rebinding guard (Origin and Host), idle expiry and the
/// session cap (server.mcp_session_idle_timeout, server.max_mcp_sessions), and the legacy HTTP+SSE switch
/// (server.legacy_sse) behind the same auth and Origin checks.
/// </summary>
public sealed class HttpHostingTests : IDisposable
{
    private const string Stateful = "2025-11-25";
    private readonly string _folder = Directory.CreateTempSubdirectory("mcp-hosting-").FullName;
    private readonly string _aliceToken = BearerTokens.NewToken();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task LoopbackServerWithoutTokens_ForeignHost_Is403_LoopbackHostsAreServed()
    {
        await using var server = await InProcessHttpServer.StartAsync(new AppConfig());
        var port = server.Endpoint.Port;

        using var rebound = await PostInitializeAsync(server, r => r.Headers.Host = $"evil.example:{port}");

        await Assert.That(rebound.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(await rebound.Content.ReadAsStringAsync()).Contains("host_not_allowed");
        foreach (var host in new[] { $"localhost:{port}", $"127.0.0.1:{port}", $"[::1]:{port}", "LOCALHOST" })
        {
            using var local = await PostInitializeAsync(server, r => r.Headers.Host = host);
            await Assert.That(local.StatusCode).IsEqualTo(HttpStatusCode.OK).Because($"Host: {host} must be served");
        }
    }

    [Test]
    public async Task LoopbackServerWithTokens_HostIsNotChecked_TheTokenIsWhatCounts()
    {
        await using var server = await InProcessHttpServer.StartAsync(await WithTokensAsync());

        using var proxied = await PostInitializeAsync(server, r =>
        {
            r.Headers.Host = "mcp.lab.example";
            r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _aliceToken);
        });
        using var anonymous = await PostInitializeAsync(server, r => r.Headers.Host = "mcp.lab.example");

        await Assert.That(proxied.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(anonymous.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
    }

        [Test]
    [Arguments("http://localhost:5173")]
    [Arguments("http://127.0.0.1:8080")]
    [Arguments("http://[::1]:3000")]
    public async Task LoopbackServer_PageOnThisMachine_IsServedWithCorsHeaders(string origin)
    {
        await using var server = await InProcessHttpServer.StartAsync(new AppConfig());

        using var response = await PostInitializeAsync(server, r => r.Headers.Add("Origin", origin));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin")).IsEquivalentTo([origin]);
    }

    [Test]
    public async Task LoopbackServer_ForeignOrigin_Is403()
    {
        await using var server = await InProcessHttpServer.StartAsync(new AppConfig());

        using var response = await PostInitializeAsync(server, r => r.Headers.Add("Origin", "http://localhost.evil.example"));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains("origin_not_allowed");
    }

    [Test]
    public async Task NonLoopbackServer_LocalhostOrigin_IsRefused_ListedOriginPasses()
    {
        // A page at localhost is on the person's own machine, not on the lab server: only a listed origin passes there.
        var config = await WithTokensAsync();
        config.Server.AllowedOrigins = ["https://lab.example.org"];
        var listen = new HttpListenSettings("0.0.0.0", IPAddress.Any, 8765, BearerTokens.Load(config.Auth, null));
        var policy = new OriginPolicy(Options.Create(config.Server), listen, NullLogger<OriginPolicy>.Instance);

        var (localStatus, localPassed) = await InvokeAsync(policy, "http://localhost:5173");
        var (listedStatus, listedPassed) = await InvokeAsync(policy, "https://lab.example.org");

        await Assert.That(localStatus).IsEqualTo(StatusCodes.Status403Forbidden);
        await Assert.That(localPassed).IsFalse();
        await Assert.That(listedPassed).IsTrue();
        await Assert.That(listedStatus).IsEqualTo(StatusCodes.Status200OK);
    }

    [Test]
    public async Task McpSessionIdleTimeout_DropsAnUnusedSession_NewSessionsStillWork()
    {
        var config = new AppConfig();
        config.Server.McpSessionIdleTimeoutSeconds = 1;
        await using var server = await InProcessHttpServer.StartAsync(config);
        using var initialized = await PostInitializeAsync(server, _ => { });
        var sessionId = initialized.Headers.GetValues("Mcp-Session-Id").Single();

        // A raw initialize opens no GET stream, so the session is idle at once (an open GET counts as in use).
        // The SDK looks for idle sessions every 5 s; asking would make the session busy again, so wait for its log.
        await Wait.UntilAsync(() => server.Logs.Any(m => m.Contains("IdleTimeout", StringComparison.Ordinal) && m.Contains(sessionId, StringComparison.Ordinal)),
            "the SDK to close the idle session");
        // The SDK logs the timeout just before it removes the session, so a request sent at once can still be served.
        var after = HttpStatusCode.OK;
        for (var attempt = 0; attempt < 100 && after != HttpStatusCode.NotFound; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(50);
            using var response = await PostInSessionAsync(server, sessionId);
            after = response.StatusCode;
        }
        await using var fresh = await server.ConnectAsync(token: null, Stateful);

        await Assert.That(after).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(StdioServerTests.Text(await fresh.CallToolAsync("whoami", new Dictionary<string, object?>()))).IsEqualTo("local");
    }

    [Test]
    public async Task MaxMcpSessions_DropsTheLongestIdleSessions()
    {
        var config = new AppConfig();
        config.Server.MaxMcpSessions = 2;
        await using var server = await InProcessHttpServer.StartAsync(config);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var initialized = await PostInitializeAsync(server, _ => { });
            ids.Add(initialized.Headers.GetValues("Mcp-Session-Id").Single());
        }

        // Asking a session would make it the most recently used, so wait for the SDK's own log of the closing.
        await Wait.UntilAsync(() => ids[..2].All(id => server.Logs.Any(m => m.Contains("MaxIdleSessionCount", StringComparison.Ordinal)
                && m.Contains(id, StringComparison.Ordinal))),
            "the SDK to close the two oldest of four idle sessions");

        HttpStatusCode[] expected = [HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.OK];
        for (var i = 0; i < ids.Count; i++)
        {
            using var response = await PostInSessionAsync(server, ids[i]);
            await Assert.That(response.StatusCode).IsEqualTo(expected[i]).Because($"session {i + 1} of 4");
        }
    }

    [Test]
    public async Task LegacySse_OffByDefault_NotMapped()
    {
        await using var server = await InProcessHttpServer.StartAsync(new AppConfig());
        using var http = server.CreateHttpClient();

        using var response = await http.GetAsync($"{HttpTransportSetup.McpPath}/sse");

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task LegacySse_On_AnSseClientCallsTools_BehindTheSameAuthAndOriginChecks()
    {
        var config = await WithTokensAsync();
        config.Server.LegacySse = true;
        await using var server = await InProcessHttpServer.StartAsync(config);
        using var http = server.CreateHttpClient();

        await using (var client = await server.ConnectAsync(_aliceToken, protocolVersion: null, HttpTransportMode.Sse))
            await Assert.That(StdioServerTests.Text(await client.CallToolAsync("whoami", new Dictionary<string, object?>()))).IsEqualTo("alice");
        using var anonymous = await http.GetAsync($"{HttpTransportSetup.McpPath}/sse");
        using var foreign = new HttpRequestMessage(HttpMethod.Get, $"{HttpTransportSetup.McpPath}/sse");
        foreign.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _aliceToken);
        foreign.Headers.Add("Origin", "http://evil.example");
        using var foreignResponse = await http.SendAsync(foreign);
        using var anonymousMessage = await http.PostAsync($"{HttpTransportSetup.McpPath}/message?sessionId=x",
            new StringContent("{}", Encoding.UTF8, "application/json"));

        await Assert.That(anonymous.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(foreignResponse.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(anonymousMessage.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
    }

    private async Task<AppConfig> WithTokensAsync()
    {
        var tokensFile = Path.Combine(_folder, "tokens");
        await File.WriteAllTextAsync(tokensFile, $"alice:{BearerTokens.HashHex(_aliceToken)}\n");
        var config = new AppConfig();
        config.Auth.TokensFile = tokensFile;
        return config;
    }

    private static async Task<(int Status, bool Passed)> InvokeAsync(OriginPolicy policy, string origin)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Headers.Origin = origin;
        context.Response.Body = new MemoryStream();
        var passed = false;
        await policy.InvokeAsync(context, _ => { passed = true; return Task.CompletedTask; });
        return (context.Response.StatusCode, passed);
    }

    private const string InitializeBody =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    private static async Task<HttpResponseMessage> PostInitializeAsync(InProcessHttpServer server, Action<HttpRequestMessage> configure)
    {
        using var http = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, HttpTransportSetup.McpPath)
        {
            Content = new StringContent(InitializeBody, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        configure(request);
        return await http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PostInSessionAsync(InProcessHttpServer server, string sessionId)
    {
        using var http = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, HttpTransportSetup.McpPath)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("Mcp-Session-Id", sessionId);
        request.Headers.Add("MCP-Protocol-Version", Stateful);
        return await http.SendAsync(request);
    }
}
