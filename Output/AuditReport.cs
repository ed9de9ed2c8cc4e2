using System.Text.Json.Serialization;

namespace MatlabMcp.Output;

/// <summary>query_audit's result: matching rows, newest first.</summary>
internal sealed record AuditReport(
    [property: JsonPropertyName("entries")] List<AuditRow> Entries,
    [property: JsonPropertyName("limit")] int Limit);

internal sealed record AuditRow(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("identity")] string Identity,
    [property: JsonPropertyName("session")] string Session,
    [property: JsonPropertyName("code_sha256")] string CodeSha256,
    [property: JsonPropertyName("code_excerpt")] string CodeExcerpt,
    [property: JsonPropertyName("decision")] string Decision,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("job_id")] string? JobId,
    [property: JsonPropertyName("outcome")] string? Outcome);
