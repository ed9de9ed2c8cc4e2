using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Security;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>Reading the audit log: for the identities in audit.admin_identities only.</summary>
[McpServerToolType]
internal sealed class AuditTools(AuditLog audit)
{
    [McpServerTool(Name = "query_audit", Title = "Query the audit log", ReadOnly = true, Destructive = false, Idempotent = true,
        OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(AuditReport))]
    [Description("Administrators only (audit.admin_identities): lists recorded execution attempts, newest first, with who, " +
        "session, time, code hash and excerpt, decision (executed, rejected_by_policy, rejected, denied_by_person, " +
        "approval_unanswered, approval_unsupported), detail, job id and the job's final state.")]
    public CallToolResult QueryAudit(RequestContext<CallToolRequestParams> request,
        [Description("Only attempts by this identity (optional).")] string? identity = null,
        [Description("Only attempts at or after this time, ISO 8601 such as \"2026-01-31T12:00:00Z\" (optional).")] string? since = null,
        [Description("Only this decision (optional): executed, rejected_by_policy, rejected, denied_by_person, " +
            "approval_unanswered or approval_unsupported.")] string? decision = null,
        [Description("Most rows to return, 1-500 (optional, default 50).")] int? limit = null)
    {
        if (!audit.IsAdmin(CallerIdentity.Of(request.User)))
            return ResultBuilder.Error("You are not an administrator of this server, so you cannot read its audit log " +
                "(audit.admin_identities). Ask the server's operator.");
        DateTimeOffset? from = null;
        if (since is { Length: > 0 })
        {
            if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                return ResultBuilder.Error($"'since' must be an ISO 8601 time such as \"2026-01-31T12:00:00Z\", not '{since}'.");
            from = parsed;
        }
        if (decision is { Length: > 0 } && !AuditDecisions.All.Contains(decision))
            return ResultBuilder.Error($"'decision' must be one of {string.Join(", ", AuditDecisions.All)}, not '{decision}'.");
        if (limit is < 1 or > AuditLog.MaxQueryLimit)
            return ResultBuilder.Error($"'limit' must be between 1 and {AuditLog.MaxQueryLimit}.");

        var take = limit ?? 50;
        var rows = audit.Query(new AuditQuery(identity is { Length: > 0 } ? identity : null, from,
            decision is { Length: > 0 } ? decision : null, take));
        // Recorded as given (code, an invalid session name): made safe to show before an administrator's client sees it.
        var report = new AuditReport([.. rows.Select(r => new AuditRow(r.Id, r.At, ClientText.Escape(r.Identity), ClientText.Escape(r.Session),
            r.CodeSha256, ClientText.Escape(r.Excerpt), r.Decision, ClientText.EscapeOrNull(r.Detail), r.JobId, r.Outcome))], take);
        var text = new StringBuilder(rows.Count == 0 ? "No audit rows match." : $"{rows.Count} audit rows, newest first:\n");
        foreach (var r in report.Entries)
            text.Append(CultureInfo.InvariantCulture,
                $"{r.At:u}\t{r.Identity}\t{r.Session}\t{r.Decision}\t{r.Outcome ?? "-"}\t{r.JobId ?? "-"}\t{r.CodeSha256[..12]}\n");
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = text.ToString().TrimEnd() }],
            StructuredContent = JsonSerializer.SerializeToElement(report, AppJson.Default.AuditReport),
        };
    }
}
