using System.Text.RegularExpressions;
using MatlabMcp.Output;

namespace MatlabMcp.Security;

/// <summary>
/// The names discovery tools take (get_help, which, list_functions, find_functions) before they travel to an engine as
/// data; matlab/private/mcp_bridge_help.m checks the same patterns again. Each pattern admits only names, never an
/// operator, quote, separator or control character, so nothing the caller writes can be code or a path.
/// </summary>
internal static partial class DiscoveryNames
{
    public const int MaxNameLength = 200;
    public const int MaxToolboxLength = 64;
    public const int MaxKeywordLength = 64;

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*\z")]
    private static partial Regex FunctionName();

    // No dot and no slash: it can only name a folder directly inside the engine's function root or a package.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_+-]*\z")]
    private static partial Regex ToolboxName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9 _.-]*\z")]
    private static partial Regex KeywordText();

    /// <summary>Why <paramref name="name"/> is not a function, class or variable name, or null when it is one.</summary>
    public static string? NameProblem(string? name) =>
        Check(name, MaxNameLength, FunctionName(), "a function, class or variable name",
            "identifiers joined by dots, such as \"sum\", \"containers.Map\" or \"mcp_progress\"");

    public static string? ToolboxProblem(string? toolbox) =>
        Check(toolbox, MaxToolboxLength, ToolboxName(), "a toolbox name",
            "a package or folder name as list_toolboxes shows it, such as \"linear-algebra\" or \"statistics\"");

    public static string? KeywordProblem(string? keyword) =>
        Check(keyword, MaxKeywordLength, KeywordText(), "a keyword",
            "a word or two of letters, digits, spaces, '-', '_' or '.', such as \"cosine\" or \"fourier transform\"");

    private static string? Check(string? value, int maxLength, Regex pattern, string what, string use)
    {
        if (string.IsNullOrWhiteSpace(value))
            return $"Give {what}: {use}.";
        if (value.Length > maxLength)
            return $"\"{Shown(value)}\" is not {what}: at most {maxLength} characters.";
        if (!pattern.IsMatch(value))
            return $"\"{Shown(value)}\" is not {what}: use {use}. It is looked up as a name, never run.";
        return null;
    }

    /// <summary>Enough of a refused value to recognise it, escaped: it is the caller's text, quoted back.</summary>
    private static string Shown(string value) => ClientText.Escape(value.Length <= 40 ? value : value[..40] + "…");
}
