using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MatlabMcp.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints.Http;

/// <summary>
/// Streamable HTTP over the SDK's <see cref="StreamableHttpServerTransport"/>, written before the mirror served
/// ModelContextProtocol.AspNetCore (issue 11 §2 replaces it with <c>MapMcp</c>). Clients on a 2025 revision get
/// stateful sessions keyed by <c>Mcp-Session-Id</c>; clients on 2026-07-28 or later have no sessions and are
/// served statelessly, one MCP server per POST.
/// </summary>
internal sealed class McpHttpHandler(
    IOptions<McpServerOptions> serverOptions,
    IOptionsFactory<McpServerOptions> serverOptionsFactory,
    McpSessionStore sessions,
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    TimeProvider time,
    ILoggerFactory loggers)
{
    public const string SessionIdHeader = "Mcp-Session-Id";
    public const string ProtocolVersionHeader = "MCP-Protocol-Version";

    /// <summary>The first revision without sessions or <c>initialize</c> (SEP-2567/2575).</summary>
    public const string StatelessProtocolVersion = "2026-07-28";

    /// <summary>What SDK 2.4.0 speaks (the same list as 2.3.1; its own is internal).</summary>
    public static readonly string[] SupportedProtocolVersions =
        ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", StatelessProtocolVersion];

    /// <summary>
    /// The options of every per-POST server, built once: servers only read their options (stateful sessions
    /// share <c>serverOptions.Value</c> the same way), and building them ran every configure step per POST.
    /// Requests are not scoped again: the per-POST server already lives inside the request's scope.
    /// </summary>
    private readonly Lazy<McpServerOptions> _statelessOptions = new(() =>
    {
        var options = serverOptionsFactory.Create(Options.DefaultName);
        options.ScopeRequests = false;
        return options;
    });

    private static readonly JsonTypeInfo<JsonRpcMessage> MessageType = TypeInfo<JsonRpcMessage>();
    private static readonly JsonTypeInfo<JsonRpcError> ErrorType = TypeInfo<JsonRpcError>();

    public async Task PostAsync(HttpContext context)
    {
        // 1. The client must take both a JSON and an SSE answer.
        var accept = context.Request.GetTypedHeaders().Accept;
        if (!accept.Any(a => a.MatchesMediaType("application/json")) || !accept.Any(a => a.MatchesMediaType("text/event-stream")))
        {
            await WriteErrorAsync(context, StatusCodes.Status406NotAcceptable, -32000,
                "Not Acceptable: the client must accept both application/json and text/event-stream.");
            return;
        }

        // 2. One JSON-RPC message, stamped with the protocol version and the authenticated caller.
        if (!context.Request.HasJsonContentType())
        {
            await WriteErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, (int)McpErrorCode.InvalidRequest,
                "Unsupported Media Type: send the JSON-RPC message as application/json.");
            return;
        }
        JsonRpcMessage? message;
        try
        {
            message = await context.Request.ReadFromJsonAsync(MessageType, context.RequestAborted);
        }
        catch (JsonException)
        {
            message = null;
        }
        if (message is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, (int)McpErrorCode.InvalidRequest,
                "Bad Request: the body is not a JSON-RPC message.");
            return;
        }
        var requestId = message is JsonRpcRequest request ? request.Id : default;
        if (!await CheckProtocolVersionAsync(context, requestId))
            return;
        var version = ProtocolVersion(context);
        message.Context ??= new JsonRpcMessageContext();
        message.Context.ProtocolVersion = version;
        if (context.User.Identity?.IsAuthenticated == true)
            message.Context.User = context.User;

        // 3. 2026-07-28 and later: no session, no initialize.
        if (IsStatelessRevision(version))
        {
            if (message is JsonRpcRequest { Method: RequestMethods.Initialize or RequestMethods.Ping or "logging/setLevel" } removed)
            {
                await WriteErrorAsync(context, StatusCodes.Status404NotFound, (int)McpErrorCode.MethodNotFound,
                    $"Method '{removed.Method}' does not exist in protocol version {version}.", requestId);
                return;
            }
            await ServeStatelesslyAsync(context, message);
            return;
        }

        // 4. Earlier revisions: a session, created only by initialize.
        var identity = CallerIdentity.Of(context.User);
        var sessionId = context.Request.Headers[SessionIdHeader].ToString();
        McpHttpSession? session;
        if (sessionId.Length == 0)
        {
            if (message is not JsonRpcRequest { Method: RequestMethods.Initialize })
            {
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, -32000,
                    $"Bad Request: send initialize first; every later request needs the {SessionIdHeader} header it returned.", requestId);
                return;
            }
            session = await CreateSessionAsync(identity);
            if (session is null)
            {
                await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, -32000,
                    "Service Unavailable: too many MCP sessions are in use (server.max_mcp_sessions); try again later.", requestId);
                return;
            }
        }
        else
        {
            session = sessions.Find(sessionId, identity);
        }

        using var reference = session?.TryAcquire();
        if (session is null || reference is null)
        {
            await WriteSessionNotFoundAsync(context, requestId);
            return;
        }
        context.Response.Headers[SessionIdHeader] = session.Id;
        await ServeAsync(context, session.Transport, message, onResponseStarting: null);
    }

    public async Task GetAsync(HttpContext context)
    {
        if (!await CheckProtocolVersionAsync(context, default) || await RefuseWithoutSessionsAsync(context))
            return;
        if (!context.Request.GetTypedHeaders().Accept.Any(a => a.MatchesMediaType("text/event-stream")))
        {
            await WriteErrorAsync(context, StatusCodes.Status406NotAcceptable, -32000,
                "Not Acceptable: the client must accept text/event-stream.");
            return;
        }
        if (await FindSessionAsync(context) is not { } session)
            return;
        using var reference = session.TryAcquire();
        if (reference is null)
        {
            await WriteSessionNotFoundAsync(context, default);
            return;
        }
        if (!session.TryStartGet())
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, -32000,
                "Bad Request: this session already has its GET stream; start a new session for another.");
            return;
        }

        // The stream stays open until the client leaves, the session closes, or the server stops.
        using var open = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.Headers[SessionIdHeader] = session.Id;
        StartEventStream(context);
        try
        {
            await session.Transport.HandleGetRequestAsync(context.Response.Body, open.Token);
        }
        catch (OperationCanceledException) when (open.IsCancellationRequested)
        {
        }
    }

    public async Task DeleteAsync(HttpContext context)
    {
        if (!await CheckProtocolVersionAsync(context, default) || await RefuseWithoutSessionsAsync(context))
            return;
        if (await FindSessionAsync(context) is not { } session)
            return;
        await sessions.CloseAsync(session.Id, session.Identity);
    }

    private async Task<McpHttpSession?> CreateSessionAsync(string identity)
    {
        // 128 random bits: the id is a capability, so it must not be guessable.
        var id = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var transport = new StreamableHttpServerTransport(loggers) { SessionId = id, FlowExecutionContextFromRequests = true };
        var server = McpServer.Create(transport, serverOptions.Value, loggers, services);
        var session = new McpHttpSession(id, identity, transport, server, time);
        session.Start();
        if (await sessions.TryAddAsync(session))
            return session;
        await session.DisposeAsync();
        return null;
    }

    /// <summary>
    /// A throwaway server for one POST. It resolves services from the request scope and does not open its
    /// own, since it does not outlive the request. Engines are singletons, so nothing costly starts here.
    /// </summary>
    private async Task ServeStatelesslyAsync(HttpContext context, JsonRpcMessage message)
    {
        var transport = new StreamableHttpServerTransport(loggers) { Stateless = true };
        var server = McpServer.Create(transport, _statelessOptions.Value, loggers, context.RequestServices);
        using var stop = new CancellationTokenSource();
        var run = server.RunAsync(stop.Token);
        try
        {
            await ServeAsync(context, transport, message, firstMessage =>
            {
                // SEP-2575 gives some errors their own HTTP status, which must be set before the body starts.
                if (firstMessage is JsonRpcError { Error: { } error } && !context.Response.HasStarted)
                    context.Response.StatusCode = (McpErrorCode)error.Code switch
                    {
                        McpErrorCode.MethodNotFound => StatusCodes.Status404NotFound,
                        McpErrorCode.MissingRequiredClientCapability or McpErrorCode.UnsupportedProtocolVersion
                            or McpErrorCode.HeaderMismatch => StatusCodes.Status400BadRequest,
                        _ => context.Response.StatusCode,
                    };
                return default;
            });
        }
        finally
        {
            await transport.DisposeAsync();
            await stop.CancelAsync();
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
            }
            await server.DisposeAsync();
        }
    }

    private static async Task ServeAsync(HttpContext context, StreamableHttpServerTransport transport, JsonRpcMessage message,
        Func<JsonRpcMessage?, ValueTask>? onResponseStarting)
    {
        StartEventStream(context);
        if (!await transport.HandlePostRequestAsync(message, context.Response.Body, onResponseStarting, context.RequestAborted))
        {
            // A notification or a response from the client: nothing to send back.
            context.Response.Headers.ContentType = default;
            context.Response.StatusCode = StatusCodes.Status202Accepted;
        }
    }

    private async Task<McpHttpSession?> FindSessionAsync(HttpContext context)
    {
        var id = context.Request.Headers[SessionIdHeader].ToString();
        if (id.Length == 0)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, -32000, $"Bad Request: the {SessionIdHeader} header is required.");
            return null;
        }
        var session = sessions.Find(id, CallerIdentity.Of(context.User));
        if (session is null)
            await WriteSessionNotFoundAsync(context, default);
        return session;
    }

    /// <summary>GET and DELETE only exist for sessions, which 2026-07-28 and later do not have.</summary>
    private static async Task<bool> RefuseWithoutSessionsAsync(HttpContext context)
    {
        var version = ProtocolVersion(context);
        if (!IsStatelessRevision(version))
            return false;
        context.Response.Headers.Allow = HttpMethods.Post;
        await WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, -32000,
            $"Method Not Allowed: protocol version {version} has no sessions, so only POST is served.");
        return true;
    }

    private static async Task<bool> CheckProtocolVersionAsync(HttpContext context, RequestId requestId)
    {
        var version = ProtocolVersion(context);
        if (version is null || SupportedProtocolVersions.Contains(version))
            return true;
        var data = new UnsupportedProtocolVersionErrorData { Supported = SupportedProtocolVersions, Requested = version };
        await WriteErrorAsync(context, StatusCodes.Status400BadRequest, (int)McpErrorCode.UnsupportedProtocolVersion,
            $"Bad Request: protocol version '{version}' is not supported.", requestId,
            JsonSerializer.SerializeToNode(data, TypeInfo<UnsupportedProtocolVersionErrorData>()));
        return false;
    }

    private static string? ProtocolVersion(HttpContext context) =>
        context.Request.Headers[ProtocolVersionHeader].ToString() is { Length: > 0 } version ? version : null;

    /// <summary>Revisions are dates, so ordinal order is chronological.</summary>
    private static bool IsStatelessRevision(string? version) =>
        version is not null && string.CompareOrdinal(version, StatelessProtocolVersion) >= 0;

    /// <summary>-32001 tells the client to start a new session (what the TypeScript SDK expects).</summary>
    private static Task WriteSessionNotFoundAsync(HttpContext context, RequestId requestId) =>
        WriteErrorAsync(context, StatusCodes.Status404NotFound, -32001, "Session not found", requestId);

    private static void StartEventStream(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentType = "text/event-stream";
        headers.CacheControl = "no-cache,no-store";
        // Proxies must pass events through as they are written: no compression, no buffering.
        headers.ContentEncoding = "identity";
        headers["X-Accel-Buffering"] = "no";
        context.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
    }

    private static Task WriteErrorAsync(HttpContext context, int status, int code, string message,
        RequestId requestId = default, object? data = null)
    {
        context.Response.StatusCode = status;
        var error = new JsonRpcError { Id = requestId, Error = new JsonRpcErrorDetail { Code = code, Message = message, Data = data } };
        return context.Response.WriteAsJsonAsync(error, ErrorType, contentType: null, context.RequestAborted);
    }

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(T));
}
