using System.Diagnostics;
using MatlabMcp.Configuration;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Bench;

/// <summary>
/// The bridge alone, in this process: <c>Engine.EvalAsync("y = 1;")</c> on real Octave engines, with no MCP, jobs or
/// policy around it, so a change to the bridge's reading and writing is not lost in the noise of the whole server.
/// CPU per call is this process (the bridge's side) and its engines.
/// </summary>
internal static class BridgeBench
{
    public static async Task<List<string>> RunAsync(int calls, double warmupSeconds, int engines, double seconds)
    {
        var root = Directory.CreateTempSubdirectory("mcp-bench-bridge-").FullName;
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101); // engines may run as another user (sandbox.engine_user)
        var config = new AppConfig();
        config.Engine.WorkRoot = root;
        using var factory = new EngineFactory(Options.Create(config.Engine), new EngineSandbox(config), TimeProvider.System, NullLoggerFactory.Instance);
        var started = new List<Engine>();
        try
        {
            for (var i = 0; i < engines; i++)
                started.Add(await factory.StartAsync(factory.CreateSpareFolder(), CancellationToken.None));
            var lines = new List<string>();

            // 1. One engine, calls one after another: the latency of a round trip.
            var one = started[0];
            var until = Stopwatch.GetTimestamp() + (long)(warmupSeconds * Stopwatch.Frequency);
            do
                await CallAsync(one);
            while (Stopwatch.GetTimestamp() < until);
            var samples = new List<double>(calls);
            var meter = CpuMeter.Start(Environment.ProcessId);
            for (var i = 0; i < calls; i++)
            {
                var t = Stopwatch.GetTimestamp();
                await CallAsync(one);
                samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
            lines.Add(Stats.Of("bridge: Engine.EvalAsync, one engine", samples).ToString());
            if (meter is not null)
                lines.Add($"  {meter.PerCall(calls)}");

            // 2. All engines at once: throughput, and the CPU it costs.
            samples.Clear();
            meter = CpuMeter.Start(Environment.ProcessId);
            var stop = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
            var begin = Stopwatch.GetTimestamp();
            await Task.WhenAll(started.Select(async engine =>
            {
                while (Stopwatch.GetTimestamp() < stop)
                {
                    var t = Stopwatch.GetTimestamp();
                    await CallAsync(engine);
                    lock (samples)
                        samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
            }));
            var elapsed = Stopwatch.GetElapsedTime(begin).TotalSeconds;
            lines.Add(Stats.Of($"bridge: {engines} engines at once: {samples.Count / elapsed:0} calls/s", samples).ToString());
            if (meter is not null)
                lines.Add($"  {meter.PerCall(samples.Count)}");
            return lines;
        }
        finally
        {
            foreach (var engine in started)
                await engine.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task CallAsync(Engine engine)
    {
        var response = await engine.EvalAsync("y = 1;", new OutputSink(4096));
        if (!response.Ok)
            throw new InvalidOperationException($"the engine failed a trivial call: {response.Error?.Message}");
    }
}
