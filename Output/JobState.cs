using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MatlabMcp.Output;

/// <summary>
/// Where a job, or one run of code, is in its life: the one vocabulary of results, job status, the job store and the
/// audit log. Its JSON names are its only names (<see cref="JobStates.Name"/> reads them). Terminal states never change.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobState>))]
internal enum JobState
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("completed")] Completed,
    /// <summary>The code raised an error.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>The time limit fired and the engine was interrupted.</summary>
    [JsonStringEnumMemberName("timed_out")] TimedOut,
    /// <summary>The caller cancelled: the engine was interrupted, or a queued job never ran.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    /// <summary>The engine ended during the run.</summary>
    [JsonStringEnumMemberName("engine_died")] EngineDied,
    /// <summary>Refused before running (bad input, policy, approval, limits, engine unavailable).</summary>
    [JsonStringEnumMemberName("rejected")] Rejected,
    /// <summary>The server stopped while it ran: its result is unknown.</summary>
    [JsonStringEnumMemberName("lost")] Lost,
}

internal static class JobStates
{
    private static readonly FrozenDictionary<JobState, string> Names =
        Enum.GetValues<JobState>().ToFrozenDictionary(s => s, s => JsonSerializer.Serialize(s, AppJson.Default.JobState).Trim('"'));

    private static readonly FrozenDictionary<string, JobState> ByName = Names.ToFrozenDictionary(n => n.Value, n => n.Key);

    /// <summary>The state as clients, the job store and the audit log spell it (its JSON name).</summary>
    public static string Name(this JobState state) => Names[state];

    public static JobState Parse(string name) => ByName[name];

    /// <summary>The state of that name (as <see cref="Name"/> spells it); false for any other text.</summary>
    public static bool TryParse(string name, out JobState state) => ByName.TryGetValue(name, out state);

    public static bool IsFinished(this JobState state) => state is not (JobState.Queued or JobState.Running);
}
