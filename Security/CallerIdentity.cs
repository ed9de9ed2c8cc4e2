using System.Security.Claims;

namespace MatlabMcp.Security;

/// <summary>Who is calling: the authenticated name on HTTP, one implicit identity on stdio.</summary>
internal static class CallerIdentity
{
    /// <summary>The identity of a stdio client (the user who started the server).</summary>
    public const string Local = "local";

    public static string Of(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : Local;
}
