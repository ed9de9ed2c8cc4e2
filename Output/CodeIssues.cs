using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace MatlabMcp.Output;

/// <summary>How much a problem found by check_code matters: an error stops the code from parsing or running.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IssueSeverity>))]
internal enum IssueSeverity
{
    [JsonStringEnumMemberName("error")] Error,
    [JsonStringEnumMemberName("warning")] Warning,
    [JsonStringEnumMemberName("info")] Info,
}

/// <summary>Who found a problem: the engine's own parser, the server's code policy, or the server's lint.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IssueSource>))]
internal enum IssueSource
{
    [JsonStringEnumMemberName("parser")] Parser,
    [JsonStringEnumMemberName("policy")] Policy,
    [JsonStringEnumMemberName("lint")] Lint,
}

/// <summary>One problem at a 1-based line and column (characters, not bytes) of the checked code.</summary>
/// <param name="Id">Stable short name of the kind of problem (e.g. <c>parse-error</c>, <c>blocked-function</c>,
/// <c>unterminated-block</c>), for an agent to act on without parsing the message.</param>
internal sealed record CodeIssue(
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("column")] int Column,
    [property: JsonPropertyName("severity")] IssueSeverity Severity,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] IssueSource Source);

/// <summary>
/// check_code's result: the problems found without running anything, in line order, bounded (<see cref="More"/> counts
/// those left out). Complete on its own: some clients show the model only this structured form.
/// </summary>
internal sealed record CodeIssuesReport
{
    [JsonPropertyName("issues")] public required IReadOnlyList<CodeIssue> Issues { get; init; }

    /// <summary>Problems found beyond those listed.</summary>
    [JsonPropertyName("more")] public int More { get; init; }

    /// <summary>The file checked, as the caller named it (absent for code given as text).</summary>
    [JsonPropertyName("path"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Path { get; init; }

    /// <summary>What the caller should know about this answer (the parser was skipped, a restarted session).</summary>
    [JsonPropertyName("notice"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Notice { get; init; }

    /// <summary>The most issues a result lists: a file with hundreds of problems needs its first ones fixed first.</summary>
    public const int MaxListed = 50;

    /// <summary>The report of <paramref name="found"/>, sorted by place, the first <see cref="MaxListed"/> listed, texts escaped.</summary>
    public static CodeIssuesReport Of(IEnumerable<CodeIssue> found, string? path, string? notice)
    {
        var sorted = found.Distinct().OrderBy(i => i.Line).ThenBy(i => i.Column).ThenBy(i => i.Severity).ToList();
        return new CodeIssuesReport
        {
            Issues = [.. sorted.Take(MaxListed).Select(i => i with { Message = ClientText.Escape(i.Message) })],
            More = Math.Max(0, sorted.Count - MaxListed),
            Path = ClientText.EscapeOrNull(path),
            Notice = ClientText.EscapeOrNull(notice),
        };
    }

    /// <summary>The same facts as short text, one problem a line: "2 problems:\n3:7 error parser: ...".</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        var total = Issues.Count + More;
        if (total == 0)
            text.Append("No problems found.");
        else
            text.Append(total == 1 ? "1 problem" : string.Create(CultureInfo.InvariantCulture, $"{total} problems"))
                .Append(Path is null ? "" : $" in {Path}").Append(':');
        foreach (var i in Issues)
            text.Append(CultureInfo.InvariantCulture, $"\n{i.Line}:{i.Column} {Name(i.Severity)} {Name(i.Source)} [{i.Id}]: {i.Message}");
        if (More > 0)
            text.Append(CultureInfo.InvariantCulture, $"\n... and {More} more (fix these first and check again).");
        if (Notice is not null)
            text.Append('\n').Append(Notice);
        return text.ToString();
    }

    private static string Name(IssueSeverity severity) => severity switch
    {
        IssueSeverity.Error => "error",
        IssueSeverity.Warning => "warning",
        _ => "info",
    };

    private static string Name(IssueSource source) => source switch
    {
        IssueSource.Parser => "parser",
        IssueSource.Policy => "policy",
        _ => "lint",
    };
}
