using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MatlabMcp.Tests.EndToEnd;
using MatlabMcp.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Http;

/// <summary>The built server over Streamable HTTP with bearer auth, driven by the C# SDK client and raw HTTP.</summary>
[ClassDataSource<AuthenticatedServerFixture>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(HttpTransportTests))] // one server for the class: its tests take turns, as they did under xunit
public sealed class HttpTransportTests(AuthenticatedServerFixture fixture)
{
    private const string Stateful = "2025-11-25";
    private const string Stateless = "2026-07-28";

    [Test]
    public async Task StatefulClient_ExecuteCode_VariablePersistsAcrossCalls()
    {
        await using var client = await fixture.ConnectAsync(fixture.AliceToken, Stateful);

        await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "stateful_x = 42;")));
        var result = await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(stateful_x)")));

        await Assert.That(client.NegotiatedProtocolVersion).IsEqualTo(Stateful);
        await Assert.That(string.IsNullOrEmpty(client.SessionId)).IsFalse().Because("a 2025-11-25 client must get an Mcp-Session-Id");
        await Assert.That(result.IsError).IsNotEqualTo(true);
        await Assert.That(StdioServerTests.Text(result)).IsEqualTo("42");
    }

    [Test]
    public async Task StatelessClient_ExecuteCode_ServedWithoutSession()
    {
        await using var client = await fixture.ConnectAsync(fixture.BobToken);

        await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "stateless_x = 42;")));
        var result = await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "disp(stateless_x)")));

        await Assert.That(client.NegotiatedProtocolVersion).IsEqualTo(Stateless);
        await Assert.That(client.SessionId).IsNull();
        await Assert.That(StdioServerTests.Text(result)).IsEqualTo("42");
    }

    [Test]
    public async Task Identities_HaveSeparateWorkspaces_AcrossTransportModes()
    {
        await using var alice = await fixture.ConnectAsync(fixture.AliceToken, Stateful);
        await using var aliceStateless = await fixture.ConnectAsync(fixture.AliceToken);
        await using var bob = await fixture.ConnectAsync(fixture.BobToken, Stateful);

        await alice.CallToolAsync("execute_code", ServerProcess.Args(("code", "only_alice = 7;")));

        await Assert.That(StdioServerTests.Text(await aliceStateless.CallToolAsync("execute_code",
            ServerProcess.Args(("code", "disp(only_alice)"))))).IsEqualTo("7");
        await Assert.That(StdioServerTests.Text(await bob.CallToolAsync("execute_code",
            ServerProcess.Args(("code", "disp(exist('only_alice'))"))))).IsEqualTo("0");
    }

    [Test]
    [Arguments(Stateful)]
    [Arguments(null)]
    public async Task Progress_FromRunningCode_ReachesTheClientOverHttp(string? protocolVersion)
    {
        await using var client = await fixture.ConnectAsync(fixture.AliceToken, protocolVersion);
        var reported = new TaskCompletionSource<ProgressNotificationValue>(TaskCreationOptions.RunContinuationsAsynchronously);

        // The pause after the report matters: the server writes progress before the result (seen on the wire), but
        // the SDK client drops a progress notification that lands in the same read as its request's response.
        var result = await client.CallToolAsync("execute_code", ServerProcess.Args(("code", "pause(0.2); mcp_progress(0.5, 'half way'); pause(0.5);")),
            new InlineProgress(value => { if (value.Message?.Contains("half way") == true) reported.TrySetResult(value); }));

        await Assert.That(result.IsError).IsNotEqualTo(true);
        var progress = await reported.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.That(progress.Progress).IsEqualTo(50).Within(0.01f);
    }

    [Test]
    public async Task EngineCode_CannotReadTheEnvironmentTokenOrTheTokensFile()
    {
        await using var client = await fixture.ConnectAsync(fixture.AliceToken);

        var environment = await client.CallToolAsync("execute_code", ServerProcess.Args(("code",
            "fprintf('%d %d', numel(getenv('MATLAB_MCP_AUTH_TOKEN')), numel(getenv('MATLAB_MCP_AUTH__TOKENS_FILE')))")));
        var file = await client.CallToolAsync("execute_code", ServerProcess.Args(("code",
            $"fid = fopen('{fixture.TokensFile}'); if fid < 0, disp(-1); else, disp(numel(fread(fid))); fclose(fid); end")));

        await Assert.That(StdioServerTests.Text(environment)).IsEqualTo("0 0");
        await Assert.That(new[] { "-1", "0" }).Contains(StdioServerTests.Text(file)); // absent, or an empty stand-in
    }

    [Test]
    public async Task EnvironmentToken_Authenticates()
    {
        await using var client = await fixture.ConnectAsync(fixture.DefaultToken);

        var tools = await client.ListToolsAsync();

        await Assert.That(tools).Contains(t => t.Name == "execute_code");
    }

    [Test]
    public async Task SdkClient_WrongToken_FailsWith401()
    {
        var error = (await Assert.ThrowsAsync<HttpRequestException>(() => fixture.ConnectAsync("not-a-real-token-but-well-formed")))!;

        await Assert.That(error.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Post_WithoutAuthorization_Is401WithBearerChallenge()
    {
        using var response = await PostAsync(InitializeBody, request => { });

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That((await Assert.That(response.Headers.WwwAuthenticate).HasSingleItem()).Scheme).IsEqualTo("Bearer");
    }

    [Test]
    [Arguments("Bearer wrong-token-that-is-long-enough")]
    [Arguments("Basic YWxpY2U6c2VjcmV0")]
    [Arguments("Bearer")]
    [Arguments("Bearer two tokens")]
    [Arguments("bearer")]
    [Arguments("Bearer a\"b")]
    public async Task Post_WrongOrMalformedAuthorization_Is401WithBearerChallenge(string authorization)
    {
        using var response = await PostAsync(InitializeBody, r => r.Headers.TryAddWithoutValidation("Authorization", authorization));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That((await Assert.That(response.Headers.WwwAuthenticate).HasSingleItem()).Scheme).IsEqualTo("Bearer");
        await Assert.That(response.Headers.WwwAuthenticate.ToString()).Contains("invalid_token");
    }

    [Test]
    public async Task Post_TwoAuthorizationHeaders_Is401EvenIfOneIsValid()
    {
        using var response = await PostAsync(InitializeBody, r =>
        {
            r.Headers.TryAddWithoutValidation("Authorization", $"Bearer {fixture.AliceToken}");
            r.Headers.TryAddWithoutValidation("Authorization", "Bearer another-token-value");
        });

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
    }

    /// <summary>Bytes HttpClient would never send: UTF-8 letters, and bytes that are not UTF-8 at all.</summary>
    [Test]
    [Arguments(new byte[] { 0xC3, 0xB1, 0xC3, 0xB1, 0xC3, 0xB1 })]
    [Arguments(new byte[] { 0xFF, 0xFE, 0x80, 0x41 })]
    public async Task Post_NonAsciiAuthorizationBytes_Is401NotAServerError(byte[] tokenBytes)
    {
        var (status, head) = await RawPostAsync([.. "Authorization: Bearer "u8, .. tokenBytes]);

        await Assert.That(status).IsEqualTo(401);
        await Assert.That(head).Contains("WWW-Authenticate: Bearer", StringComparison.OrdinalIgnoreCase);
    }

    [Test]
    public async Task Post_FromUnlistedOrigin_Is403EvenWithValidToken()
    {
        using var response = await PostAsync(InitializeBody, r =>
        {
            r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.AliceToken);
            r.Headers.Add("Origin", "http://evil.example");
        });

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains("server.allowed_origins");
        await Assert.That(response.Headers.Contains("Access-Control-Allow-Origin")).IsFalse();
    }

    [Test]
    [Arguments(AuthenticatedServerFixture.AllowedOrigin)]
    [Arguments(AuthenticatedServerFixture.OtherAllowedOrigin)]
    public async Task Preflight_FromListedOrigin_AllowsAuthorizationHeader(string origin)
    {
        using var http = fixture.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/mcp");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type, mcp-protocol-version");

        using var response = await http.SendAsync(request);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.NoContent);
        await Assert.That((await Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin")).HasSingleItem())).IsEqualTo(origin);
        await Assert.That((await Assert.That(response.Headers.GetValues("Access-Control-Allow-Headers")).HasSingleItem())).Contains("authorization");
        await Assert.That((await Assert.That(response.Headers.GetValues("Access-Control-Allow-Methods")).HasSingleItem())).Contains("POST");
    }

    [Test]
    public async Task Preflight_FromUnlistedOrigin_Is403WithoutCorsHeaders()
    {
        using var http = fixture.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/mcp");
        request.Headers.Add("Origin", "http://good.example.attacker.test");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await http.SendAsync(request);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(response.Headers.Contains("Access-Control-Allow-Origin")).IsFalse();
    }

    [Test]
    public async Task Post_FromListedOrigin_IsServedWithCorsHeaders()
    {
        using var response = await PostAsync(InitializeBody, r =>
        {
            r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.AliceToken);
            r.Headers.Add("Origin", AuthenticatedServerFixture.AllowedOrigin);
        });

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That((await Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin")).HasSingleItem())).IsEqualTo(AuthenticatedServerFixture.AllowedOrigin);
        await Assert.That((await Assert.That(response.Headers.GetValues("Access-Control-Expose-Headers")).HasSingleItem())).Contains("Mcp-Session-Id");
    }

    [Test]
    [Arguments("text/plain", InitializeBody, HttpStatusCode.UnsupportedMediaType)]
    [Arguments("application/json", "not json", HttpStatusCode.BadRequest)]
    [Arguments("application/json", "[1, 2]", HttpStatusCode.BadRequest)]
    [Arguments("application/json", "null", HttpStatusCode.BadRequest)]
    public async Task Post_BodyThatIsNotAJsonRpcMessage_IsAClientErrorNotAServerError(string contentType, string body, HttpStatusCode expected)
    {
        using var response = await PostAsync(body, r =>
        {
            r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.AliceToken);
            r.Content = new StringContent(body, Encoding.UTF8, contentType);
        });

        await Assert.That(response.StatusCode).IsEqualTo(expected);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("code").GetInt32()).IsEqualTo(-32600);
    }

    [Test]
    public async Task Post_UnknownSessionId_Is404SessionNotFound()
    {
        using var response = await PostInSessionAsync("no-such-session", fixture.AliceToken);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        await Assert.That(body.RootElement.GetProperty("error").GetProperty("code").GetInt32()).IsEqualTo(-32001);
    }

    [Test]
    public async Task Post_NonInitializeWithoutSession_Is400()
    {
        using var response = await PostAsync(ListToolsBody, r =>
        {
            r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.AliceToken);
            r.Headers.Add("MCP-Protocol-Version", Stateful);
        });

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
    }

    [Test]
    [Arguments("GET")]
    [Arguments("DELETE")]
    public async Task GetOrDelete_StatelessProtocol_Is405AllowingPost(string method)
    {
        using var http = fixture.CreateHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), "/mcp");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.AliceToken);
        request.Headers.Add("MCP-Protocol-Version", Stateless);
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await http.SendAsync(request);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.MethodNotAllowed);
        await Assert.That(response.Content.Headers.Allow).IsEquivalentTo(["POST"], CollectionOrdering.Matching);
    }

    [Test]
    public async Task Session_PresentedByAnotherIdentity_Is403AndStaysUsableByItsOwner()
    {
        await using var alice = await fixture.ConnectAsync(fixture.AliceToken, Stateful);

        using var bobPost = await PostInSessionAsync(alice.SessionId!, fixture.BobToken);
        using var bobDelete = await SendInSessionAsync(HttpMethod.Delete, alice.SessionId!, fixture.BobToken);
        using var alicePost = await PostInSessionAsync(alice.SessionId!, fixture.AliceToken);

        // The SDK binds a session to the identity claim of the caller who created it.
        await Assert.That(bobPost.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(await bobPost.Content.ReadAsStringAsync()).Contains("does not match the user who initiated the session");
        await Assert.That(bobDelete.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(alicePost.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await alice.ListToolsAsync()).IsNotEmpty();
    }

    [Test]
    public async Task ClientDispose_DeletesSession_ThenItIs404()
    {
        var client = await fixture.ConnectAsync(fixture.AliceToken, Stateful);
        var sessionId = client.SessionId!;
        using var before = await PostInSessionAsync(sessionId, fixture.AliceToken);

        await client.DisposeAsync();

        using var after = await PostInSessionAsync(sessionId, fixture.AliceToken);
        await Assert.That(before.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(after.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Health_WithoutToken_ReportsStatusEngineVersionAndSandbox()
    {
        using var http = fixture.CreateHttpClient();

        using var response = await http.GetAsync("/health");

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(response.Content.Headers.ContentType?.MediaType).IsEqualTo("application/json");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        await Assert.That(body.RootElement.GetProperty("status").GetString()).IsEqualTo("ok");
        await Assert.That(body.RootElement.GetProperty("engine").GetString()).IsEqualTo("octave");
        await Assert.That(string.IsNullOrEmpty(body.RootElement.GetProperty("version").GetString())).IsFalse();
        await Assert.That(body.RootElement.GetProperty("sandbox").GetString()).IsEqualTo("bubblewrap");
    }

    private const string InitializeBody =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    private const string ListToolsBody = """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""";

    private async Task<HttpResponseMessage> PostAsync(string body, Action<HttpRequestMessage> configure)
    {
        using var http = fixture.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        configure(request);
        return await http.SendAsync(request);
    }

    private Task<HttpResponseMessage> PostInSessionAsync(string sessionId, string token) =>
        PostAsync(ListToolsBody, r =>
        {
            r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            r.Headers.Add("Mcp-Session-Id", sessionId);
            r.Headers.Add("MCP-Protocol-Version", Stateful);
        });

    private async Task<HttpResponseMessage> SendInSessionAsync(HttpMethod method, string sessionId, string token)
    {
        using var http = fixture.CreateHttpClient();
        using var request = new HttpRequestMessage(method, "/mcp");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Mcp-Session-Id", sessionId);
        request.Headers.Add("MCP-Protocol-Version", Stateful);
        return await http.SendAsync(request);
    }

    /// <summary>A POST written byte for byte, for header bytes no HTTP client library will put on the wire.</summary>
    private async Task<(int Status, string Head)> RawPostAsync(byte[] headerLine)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(fixture.Server.Endpoint.Host, fixture.Server.Endpoint.Port);
        await using var stream = tcp.GetStream();
        var body = Encoding.UTF8.GetBytes(InitializeBody);
        var head = Encoding.ASCII.GetBytes($"POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
            $"Accept: application/json, text/event-stream\r\nContent-Length: {body.Length}\r\nConnection: close\r\n");
        await stream.WriteAsync((byte[])[.. head, .. headerLine, .. "\r\n\r\n"u8, .. body]);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var response = await reader.ReadToEndAsync();
        var statusLine = response[..response.IndexOf('\r')];
        return (int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), response[..response.IndexOf("\r\n\r\n", StringComparison.Ordinal)]);
    }
}
