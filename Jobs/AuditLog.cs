using System.Security.Cryptography;
using System.Text;
using MatlabMcp.Configuration;
using MatlabMcp.Output;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Jobs;

/// <summary>
/// Records every execution attempt: who, which session, when, the code's SHA-256 and a bounded excerpt, the decision,
/// and, for code that ran, the job's final state once it finishes. Reading it is for audit.admin_identities only.
/// </summary>
internal sealed class AuditLog(AuditStore store, IOptions<AuditOptions> options, TimeProvider time)
{
    /// <summary>Characters of code kept in a row: enough to recognise it, the hash identifies it exactly.</summary>
    public const int ExcerptChars = 500;

    public const int MaxQueryLimit = 500;

    /// <summary>Adds a row. Written behind: a failing write (a full disk) is logged by the store, and never stops a call.</summary>
    public void Record(string identity, string session, string? code, string decision, string? detail = null, string? jobId = null)
    {
        code ??= "";
        store.Add(new AuditEntry(0, time.GetUtcNow(), identity, session, Sha256(code), Excerpt(code, ExcerptChars),
            decision, detail, jobId, null));
    }

    /// <summary>Fills in the job's final state when it finishes (the call may have returned long before).</summary>
    public async Task RecordOutcomeAsync(Job job)
    {
        await job.Completion;
        store.SetOutcome(job.Id, job.Record.State.Name());
    }

    public bool IsAdmin(string identity) => options.Value.EffectiveAdminIdentities.Contains(identity, StringComparer.Ordinal);

    public IReadOnlyList<AuditEntry> Query(AuditQuery query) => store.Query(query with { Limit = Math.Clamp(query.Limit, 1, MaxQueryLimit) });

    /// <summary>Deletes rows past audit.retention_days.</summary>
    public int EnforceRetention() => store.DeleteBefore(time.GetUtcNow() - options.Value.Retention);

    public static string Sha256(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    /// <summary>The first <paramref name="chars"/> characters, marked when cut, never splitting a surrogate pair.</summary>
    public static string Excerpt(string code, int chars)
    {
        if (code.Length <= chars)
            return code;
        var cut = char.IsHighSurrogate(code[chars - 1]) ? chars - 1 : chars;
        return code[..cut] + $"… [{code.Length - cut:N0} more characters]";
    }
}
