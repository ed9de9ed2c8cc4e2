namespace MatlabMcp.Output;

/// <summary>
/// Files of a session folder as MCP resources: <c>session://&lt;session&gt;/&lt;path relative to the session folder&gt;</c>,
/// each path segment percent-encoded. The URI names no identity: a read resolves the session among the caller's own,
/// so one identity's URI means nothing to another. Results link figures, spilled output and changed files this way.
/// </summary>
internal static class SessionResources
{
    public const string Scheme = "session";

    /// <summary>The resource template (RFC 6570) that <see cref="Uri"/> fills.</summary>
    public const string Template = "session://{session}/{+path}";

    /// <summary>Subfolder of the session folder that exported figures go to.</summary>
    public const string FiguresFolder = "figures";

    /// <summary>Subfolder of the session folder that the full text of cut output goes to.</summary>
    public const string OutputFolder = "output";

    public static string Uri(string session, string relativePath) =>
        $"{Scheme}://{System.Uri.EscapeDataString(session)}/" +
        string.Join('/', relativePath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(System.Uri.EscapeDataString));

    /// <summary>The session and relative path a URI of this scheme names; false for anything else (checks of the path come after).</summary>
    public static bool TryParse(string uri, out string session, out string relativePath)
    {
        (session, relativePath) = ("", "");
        var prefix = Scheme + "://";
        if (!uri.StartsWith(prefix, StringComparison.Ordinal))
            return false;
        var rest = uri[prefix.Length..];
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1)
            return false;
        session = System.Uri.UnescapeDataString(rest[..slash]);
        relativePath = string.Join('/', rest[(slash + 1)..].Split('/').Select(System.Uri.UnescapeDataString));
        return true;
    }
}
