using System.Diagnostics;
using ModelContextProtocol.Client;

namespace MatlabMcp.Bench;

/// <summary>The trivial call every latency series times: <c>execute_code("y = 1;")</c>.</summary>
internal static class TrivialCalls
{
    private static readonly Dictionary<string, object?> Trivial = new() { ["code"] = "y = 1;" };

    /// <summary>
    /// Calls until the time is up: the JIT of the server (and of the SDK client) keeps re-compiling hot methods for
    /// several seconds after start, and figures taken meanwhile measure the compiler, not the steady state.
    /// </summary>
    public static async Task WarmUpAsync(McpClient client, double seconds)
    {
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        do
            await client.CallToolAsync("execute_code", Trivial);
        while (Stopwatch.GetTimestamp() < until);
    }

    /// <summary>Times <paramref name="calls"/> calls one after another; a failed call stops the benchmark.</summary>
    public static async Task<Stats> TimeAsync(McpClient client, int calls, string name)
    {
        var samples = new List<double>(calls);
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var result = await client.CallToolAsync("execute_code", Trivial);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (result.IsError == true)
                throw new InvalidOperationException("execute_code failed during the benchmark");
        }
        return Stats.Of(name, samples);
    }
}
