using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MatlabMcp.Security;

namespace MatlabMcp.Endpoints.Http;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c> against <see cref="BearerTokens"/>. Anything missing, malformed,
/// non-ASCII or unknown ends in 401 with <c>WWW-Authenticate: Bearer</c>; nothing here can throw on bad input.
/// </summary>
internal sealed partial class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    BearerTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "Bearer";

    /// <summary>Longer headers are refused unread; real tokens are 43 characters.</summary>
    private const int MaxHeaderLength = 4096;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers.Authorization;
        if (headers.Count == 0)
            return Task.FromResult(AuthenticateResult.NoResult());
        if (headers.Count > 1 || headers[0] is not { Length: > 0 and <= MaxHeaderLength } header)
            return Fail(Reason.Malformed);
        var space = header.IndexOf(' ');
        if (space < 0 || !header.AsSpan(0, space).Equals(SchemeName, StringComparison.OrdinalIgnoreCase))
            return Fail(Reason.Malformed);
        var token = header[(space + 1)..].Trim(' ');
        if (!BearerTokens.IsWellFormed(token))
            return Fail(Reason.Malformed);
        if (!tokens.TryAuthenticate(token, out var identity))
            return Fail(Reason.Unknown);
        var ticket = new AuthenticationTicket(CallerIdentity.Principal(identity, SchemeName), SchemeName);
        return Task.FromResult(AuthenticateResult.Success(ticket));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var reason = result.Failure?.Message;
        LogRefused(Logger, Request.Method, Request.Path.Value ?? "", Context.Connection.RemoteIpAddress?.ToString() ?? "?", reason ?? Reason.Missing);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // RFC 6750: no error code when no credentials were sent at all.
        Response.Headers.WWWAuthenticate = reason is null
            ? $"{SchemeName} realm=\"matlab-mcp\""
            : $"{SchemeName} realm=\"matlab-mcp\", error=\"invalid_token\"";
        var problem = new HttpProblem("unauthorized", reason is null
            ? "This server needs an Authorization header with a bearer token. Its operator creates tokens with matlab-mcp --generate-token."
            : $"The bearer token was refused ({reason}).");
        await Response.WriteAsJsonAsync(problem, HttpJson.Default.HttpProblem, contentType: null, Context.RequestAborted);
    }

    private static Task<AuthenticateResult> Fail(string reason) => Task.FromResult(AuthenticateResult.Fail(reason));

    /// <summary>Short reasons for the log and the 401 body; the token itself is never written anywhere.</summary>
    private static class Reason
    {
        public const string Missing = "no Authorization header";
        public const string Malformed = "malformed Authorization header: expected the word Bearer, a space and an ASCII token";
        public const string Unknown = "unknown token";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "401 for {Method} {Path} from {Remote}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string remote, string reason);
}
