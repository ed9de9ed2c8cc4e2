using System.Security.Claims;

namespace MatlabMcp.Security;

/// <summary>
/// Who is calling: the authenticated name on HTTP with bearer auth, otherwise one implicit identity
/// (<see cref="Local"/>: stdio, or loopback HTTP without tokens). Engine sessions are keyed by it.
/// </summary>
internal static class CallerIdentity
{
    /// <summary>The identity of a stdio client (the user who started the server), and of HTTP without auth.</summary>
    public const string Local = "local";

    public static string Of(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : Local;

    /// <summary>The principal the HTTP layer attaches to the request and to each JSON-RPC message.</summary>
    public static ClaimsPrincipal Principal(string identity, string authenticationType) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, identity), new Claim(ClaimTypes.NameIdentifier, identity)],
            authenticationType));
}
