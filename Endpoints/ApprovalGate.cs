using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MatlabMcp.Configuration;
using MatlabMcp.Jobs;
using MatlabMcp.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>
/// Asks a person, through the MCP client, to approve code before it runs. One path for every transport:
/// <list type="number">
/// <item>A retry carrying the answer (<c>inputResponses</c>, MRTR) is checked against the signed request state: the
/// same identity, session and code hash, and answered within approval.timeout_seconds.</item>
/// <item>A client without elicitation gets a clear refusal: approval never silently becomes execution.</item>
/// <item><c>ElicitAsync</c> where the transport carries it (stdio, stateful HTTP; the SDK itself turns it into an
/// MRTR round trip for 2026-07-28 clients on a live session), bounded by approval.timeout_seconds.</item>
/// <item>On stateless HTTP, where ElicitAsync cannot wait for an answer, <see cref="InputRequiredException"/>: the
/// client asks the person and calls again with the answer, which step 1 reads.</item>
/// </list>
/// </summary>
internal sealed partial class ApprovalGate(IOptions<ApprovalOptions> options, TimeProvider time, ILogger<ApprovalGate> logger)
{
    internal const string InputKey = "approval";
    internal const string ApproveField = "approve";

    /// <summary>Characters of code shown in the prompt; the hash identifies the whole.</summary>
    internal const int PromptCodeChars = 2000;

    // Request state goes to the client and comes back: signed so it cannot be edited to a fresh time or other code.
    private readonly byte[] _stateKey = RandomNumberGenerator.GetBytes(32);

    public async Task<ApprovalVerdict> AskAsync(McpServer server, RequestParams? request, ApprovalSubject subject,
        CancellationToken cancellationToken)
    {
        if (request?.InputResponses is { } responses && responses.TryGetValue(InputKey, out var response))
            return FromRetry(response, request.RequestState, subject);
        if (server.ClientCapabilities?.Elicitation is null)
        {
            LogUnsupported(logger, subject.Identity, subject.Session);
            return new(false, AuditDecisions.ApprovalUnsupported,
                $"This code needs a person's approval before it runs ({Join(subject.Reasons)}), but your MCP client cannot " +
                "show approval requests (it does not support elicitation). Nothing was executed. Use a client that supports " +
                "MCP elicitation, or ask the server's operator about approval.mode.");
        }

        var prompt = Prompt(subject);
        using var timeout = new CancellationTokenSource(options.Value.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            return FromAnswer(await server.ElicitAsync(prompt, linked.Token), subject);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Unanswered(subject);
        }
        catch (InvalidOperationException) when (server.IsMrtrSupported)
        {
            // Stateless transport: no connection to wait on. The client asks the person and retries with the answer.
            throw new InputRequiredException(
                new Dictionary<string, InputRequest> { [InputKey] = InputRequest.ForElicitation(prompt) }, State(subject));
        }
        catch (McpException e)
        {
            LogElicitationFailed(logger, subject.Identity, e.Message);
            return new(false, AuditDecisions.ApprovalUnanswered,
                "The approval request could not be shown: your MCP client answered it with an error. Nothing was executed.");
        }
    }

    internal ApprovalVerdict FromRetry(InputResponse response, string? state, ApprovalSubject subject)
    {
        if (!TryReadState(state, out var issued, out var binding) || binding != Binding(subject))
        {
            LogStateMismatch(logger, subject.Identity, subject.Session);
            return new(false, AuditDecisions.Rejected,
                "The approval answer sent with this call was given for different code, or its request state was altered. " +
                "Nothing was executed; send the code again to ask for approval.");
        }
        if (time.GetUtcNow() - issued > options.Value.Timeout)
            return Unanswered(subject);
        return response.Deserialize(InputResponse.ElicitResultJsonTypeInfo) is { } answer
            ? FromAnswer(answer, subject)
            : new(false, AuditDecisions.ApprovalUnanswered, "The approval answer could not be read. Nothing was executed.");
    }

    private ApprovalVerdict FromAnswer(ElicitResult answer, ApprovalSubject subject)
    {
        var approved = answer.Action == "accept" && answer.Content is { } content
            && content.TryGetValue(ApproveField, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.True;
        LogAnswered(logger, subject.Identity, subject.Session, answer.Action, approved);
        if (approved)
            return new(true, null, "approved by a person");
        var how = answer.Action switch
        {
            "accept" => "A person did not approve this code (the approval box was left unticked)",
            "cancel" => "A person dismissed the approval request",
            _ => "A person declined to run this code",
        };
        return new(false, AuditDecisions.DeniedByPerson,
            $"{how}. Nothing was executed. Do not send it again unless the person asks you to; ask them what to change.");
    }

    private ApprovalVerdict Unanswered(ApprovalSubject subject)
    {
        LogUnanswered(logger, subject.Identity, subject.Session, options.Value.TimeoutSeconds);
        return new(false, AuditDecisions.ApprovalUnanswered,
            $"Nobody answered the approval request within {options.Value.TimeoutSeconds:0.#} s (approval.timeout_seconds). " +
            "Nothing was executed. Ask the user to watch for the approval request, then send the code again.");
    }

    internal static ElicitRequestParams Prompt(ApprovalSubject subject)
    {
        var code = subject.Code.Length <= PromptCodeChars ? subject.Code : AuditLog.Excerpt(subject.Code, PromptCodeChars);
        var text = new StringBuilder()
            .AppendLine("An AI agent wants to run MATLAB/Octave code and needs your approval.")
            .AppendLine(CultureInfo.InvariantCulture, $"Identity: {subject.Identity}")
            .AppendLine(CultureInfo.InvariantCulture, $"Session: {subject.Session}")
            .AppendLine(CultureInfo.InvariantCulture, $"Why approval is needed: {Join(subject.Reasons)}")
            .AppendLine(CultureInfo.InvariantCulture,
                $"Code ({subject.Code.Length:N0} characters, sha256 {AuditLog.Sha256(subject.Code)[..16]}):")
            .AppendLine("----")
            .AppendLine(code)
            .Append("----");
        return new ElicitRequestParams
        {
            Mode = "form",
            Message = text.ToString(),
            RequestedSchema = new()
            {
                Properties =
                {
                    [ApproveField] = new ElicitRequestParams.BooleanSchema
                    {
                        Title = "Run this code",
                        Description = "Tick to let the code run; leave unticked or decline to refuse.",
                        Default = false,
                    },
                },
                Required = [ApproveField],
            },
        };
    }

    private static string Join(IReadOnlyList<string> reasons) =>
        string.Join("; ", reasons.Take(5)) + (reasons.Count > 5 ? $"; and {reasons.Count - 5} more" : "");

    /// <summary>Who, where and exactly which code (by hash): what an answer is valid for.</summary>
    private static string Binding(ApprovalSubject subject) =>
        AuditLog.Sha256($"{subject.Identity}\n{subject.Session}\n{AuditLog.Sha256(subject.Code)}");

    internal string State(ApprovalSubject subject)
    {
        var body = $"v1.{time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}.{Binding(subject)}";
        return $"{body}.{Sign(body)}";
    }

    private bool TryReadState(string? state, out DateTimeOffset issued, out string binding)
    {
        issued = default;
        binding = "";
        var parts = state?.Split('.') ?? [];
        if (parts.Length != 4 || parts[0] != "v1" || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            return false;
        var body = string.Join('.', parts[..3]);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(body)), Encoding.ASCII.GetBytes(parts[3])))
            return false;
        issued = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        binding = parts[2];
        return true;
    }

    private string Sign(string body) => Convert.ToHexStringLower(HMACSHA256.HashData(_stateKey, Encoding.UTF8.GetBytes(body)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "approval needed for {Identity} in session {SessionId}, but the client cannot show it")]
    private static partial void LogUnsupported(ILogger logger, string identity, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "approval for {Identity} in session {SessionId}: {Action}, approved {Approved}")]
    private static partial void LogAnswered(ILogger logger, string identity, string sessionId, string action, bool approved);

    [LoggerMessage(Level = LogLevel.Information, Message = "approval for {Identity} in session {SessionId}: no answer within {Seconds} s")]
    private static partial void LogUnanswered(ILogger logger, string identity, string sessionId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "approval answer from {Identity} in session {SessionId} does not match its request state")]
    private static partial void LogStateMismatch(ILogger logger, string identity, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "approval request to {Identity} failed: {Reason}")]
    private static partial void LogElicitationFailed(ILogger logger, string identity, string reason);
}
