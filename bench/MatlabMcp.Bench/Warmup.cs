using System.Diagnostics;

namespace MatlabMcp.Bench;

/// <summary>
/// Calls until the time is up: the JIT of the server (and of the SDK client) keeps re-compiling hot methods for
/// several seconds after start, and figures taken meanwhile measure the compiler, not the steady state.
/// </summary>
internal static class Warmup
{
    public static async Task RunAsync(double seconds, Func<Task> call)
    {
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        do
            await call();
        while (Stopwatch.GetTimestamp() < until);
    }
}
