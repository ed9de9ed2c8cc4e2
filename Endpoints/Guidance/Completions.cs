using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Output.Files;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints.Guidance;

/// <summary>
/// completion/complete for the arguments of our prompts and of the session-file resource template: session names, file
/// paths and variable names of the caller's session, and the caller's job ids. Only the caller's own things: every
/// lookup takes <see cref="CallerIdentity"/>. Cheap by design: files are listed without an engine, variables only from a
/// session whose engine already runs and is idle (never started, never waited for), within <see cref="VariableWait"/>.
/// </summary>
internal static class Completions
{
    /// <summary>The protocol's cap on values in one answer.</summary>
    internal const int MaxValues = 100;

    /// <summary>How long a variable listing may take before the answer is empty: a completion is typed, not awaited.</summary>
    internal static readonly TimeSpan VariableWait = TimeSpan.FromSeconds(2);

    /// <summary>Entries of one folder looked at for path completion (the rest of a huge folder is not offered).</summary>
    private const int MaxListed = 2_000;

    public static IMcpServerBuilder WithCompletions(this IMcpServerBuilder builder) => builder.WithCompleteHandler(CompleteAsync);

    private static async ValueTask<CompleteResult> CompleteAsync(RequestContext<CompleteRequestParams> request, CancellationToken cancellationToken)
    {
        if (request.Params is not { } p || request.Services is not { } services || !IsOurs(p.Ref, p.Argument.Name))
            return Empty;
        var identity = CallerIdentity.Of(request.User);
        var session = p.Context?.Arguments?.TryGetValue("session", out var named) == true && named.Length > 0 ? named : null;
        if (SessionRegistry.ValidateName(session) is not null)
            return Empty;
        var sessions = services.GetRequiredService<SessionRegistry>();
        var typed = p.Argument.Value ?? "";
        IEnumerable<string> values = p.Argument.Name switch
        {
            "session" => sessions.List(identity).Select(s => s.Name),
            "path" => Paths(sessions, identity, session, typed),
            "name" => await VariablesAsync(sessions, identity, session, cancellationToken),
            "job_id" => services.GetRequiredService<JobManager>().List(identity, MaxValues).Jobs.Select(j => j.Id),
            _ => [],
        };
        var matching = values.Where(v => v.StartsWith(typed, StringComparison.Ordinal)).ToList();
        return new CompleteResult
        {
            Completion = new Completion
            {
                Values = [.. matching.Take(MaxValues).Select(ClientText.Escape)],
                Total = matching.Count,
                HasMore = matching.Count > MaxValues,
            },
        };
    }

    private static CompleteResult Empty => new() { Completion = new Completion { Values = [], Total = 0, HasMore = false } };

    /// <summary>Our prompts' arguments and the session-file template's variables; anything else has no completions here.</summary>
    private static bool IsOurs(Reference reference, string argument) => reference switch
    {
        PromptReference prompt => (prompt.Name, argument) switch
        {
            (_, "session") => prompt.Name is "explain_error" or "write_tests" or "profile_code" or "describe_variable",
            ("write_tests", "path") or ("describe_variable", "name") or ("explain_error", "job_id") => true,
            _ => false,
        },
        ResourceTemplateReference template => template.Uri == SessionResources.Template && argument is "session" or "path",
        _ => false,
    };

    /// <summary>
    /// Entries of the folder named by what was typed up to its last '/', whose names start with the rest: "res" offers
    /// "results/", "results/ru" offers "results/run1.mat". Read through ConfinedFolder: no link is followed out.
    /// </summary>
    private static List<string> Paths(SessionRegistry sessions, string identity, string? session, string typed)
    {
        var cut = typed.LastIndexOf('/');
        var folder = cut < 0 ? "" : typed[..cut];
        if (folder.Length > 0 && FileNames.ValidatePath(folder) is not null)
            return [];
        var found = sessions.ForFiles(identity, session, create: false, out _);
        using var confined = found is null ? null : ConfinedFolder.Open(found.Folder);
        if (confined is null || confined.List(folder, MaxListed, out var listing) is not null)
            return [];
        var prefix = folder.Length == 0 ? "" : folder + "/";
        return [.. listing!.Files
            .Where(f => !f.Name.StartsWith('.') && FileNames.ValidatePath(prefix + f.Name) is null)
            .Select(f => prefix + f.Name + (f.Type == "folder" ? "/" : ""))];
    }

    /// <summary>The variables of the caller's session when its engine is up and idle; otherwise none (nothing is started).</summary>
    private static async Task<IReadOnlyList<string>> VariablesAsync(SessionRegistry sessions, string identity, string? session,
        CancellationToken cancellationToken)
    {
        var name = session ?? SessionRegistry.DefaultName;
        var target = sessions.List(identity).FirstOrDefault(s => s.Name == name);
        if (target is null || target.IsBusy || !target.HasLiveEngine)
            return [];
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(VariableWait);
        try
        {
            using var lease = await sessions.AcquireAsync(identity, name, bounded.Token);
            var response = await lease.Engine.SendAsync(BridgeRequest.Workspace, maxVariables: MaxListed).WaitAsync(bounded.Token);
            return response.Ok ? [.. (response.Variables ?? []).Select(v => v.Name)] : [];
        }
        catch (Exception e) when (e is OperationCanceledException or CapacityException or EngineStartException or EngineDiedException)
        {
            return [];
        }
    }
}
