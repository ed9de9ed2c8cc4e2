using System.Diagnostics;
using System.Globalization;
using ModelContextProtocol.Client;

namespace MatlabMcp.Bench;

/// <summary>
/// What a client that spawns the server sees, for the JIT build and the Native AOT binary side by side: process start to
/// the first initialize, tools/list and execute_code answers, then the next calls with no warm-up at all, the server's
/// idle RSS with its one warm engine (engines not counted) and the size on disk. Each round spawns both builds in turn;
/// round 0 only warms this (JIT) client and is not counted.
/// </summary>
internal static class StartupBench
{
    private static readonly Dictionary<string, object?> Trivial = new() { ["code"] = "y = 1;" };

    public sealed record Build(string Name, string Command, string[] Arguments, long SizeBytes, string SizeNote);

    public static async Task PrintAsync(IReadOnlyList<Build> builds, int rounds, int calls)
    {
        var samples = builds.ToDictionary(b => b.Name, _ => new Samples());
        for (var round = 0; round <= rounds; round++)
            foreach (var build in builds)
            {
                var one = await RunOnceAsync(build, calls);
                if (round > 0)
                    samples[build.Name].Add(one);
            }

        Console.WriteLine($"start-up and first {calls} calls, {rounds} spawns each (medians; p50/p95 over all spawns' calls); load: {Load()}");
        Console.WriteLine($"{"build",-6} {"initialize",11} {"tools/list",11} {"1st execute",12} {"calls p50",10} {"p95",8} {"idle RSS",9}  size");
        foreach (var build in builds)
        {
            var s = samples[build.Name];
            var calls300 = Stats.Of(build.Name, s.Calls);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{build.Name,-6} {Median(s.Initialize),8:0} ms {Median(s.ToolsList),8:0} ms {Median(s.FirstExecute),9:0} ms " +
                $"{calls300.P50Ms,7:0.00} ms {calls300.P95Ms,5:0.00} ms {Median(s.RssMb),6:0.0} MB  " +
                $"{build.SizeBytes / 1e6:0.0} MB {build.SizeNote}"));
            Console.WriteLine($"       per spawn: first execute {Range(s.FirstExecute, "0")} ms, calls p50 {Range(s.CallP50s, "0.00")} ms, " +
                $"idle RSS {Range(s.RssMb, "0.0")} MB");
        }
    }

    private static async Task<Samples> RunOnceAsync(Build build, int calls)
    {
        var scratch = Directory.CreateTempSubdirectory("mcp-bench-start-").FullName;
        File.SetUnixFileMode(scratch, (UnixFileMode)0b111_101_101); // engines may run as another user (sandbox.engine_uid_range)
        var result = new Samples();
        var start = Stopwatch.GetTimestamp();
        double Elapsed() => Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        await using (var client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = build.Name, Command = build.Command, Arguments = build.Arguments,
            EnvironmentVariables = new Dictionary<string, string?>
            {
                ["MATLAB_MCP_JOBS__DATABASE"] = Path.Combine(scratch, "jobs.db"),
                ["MATLAB_MCP_ENGINE__WORK_ROOT"] = scratch,
            },
        })))
        {
            result.Initialize.Add(Elapsed());
            await client.ListToolsAsync();
            result.ToolsList.Add(Elapsed());
            await CallAsync(client);
            result.FirstExecute.Add(Elapsed());
            var these = new List<double>(calls);
            for (var i = 0; i < calls; i++)
            {
                var t = Stopwatch.GetTimestamp();
                await CallAsync(client);
                these.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
            result.Calls.AddRange(these);
            result.CallP50s.Add(Stats.Of("", these).P50Ms);
            await Task.Delay(2000); // idle: the replacement spare (if any) is up, the job rows written
            if (CpuMeter.FindStdioServer() is { } pid)
                result.RssMb.Add(RssMb(pid));
        }
        Directory.Delete(scratch, recursive: true);
        return result;
    }

    private static async Task CallAsync(McpClient client)
    {
        var result = await client.CallToolAsync("execute_code", Trivial);
        if (result.IsError == true)
            throw new InvalidOperationException("execute_code failed during the start-up benchmark: " +
                string.Join(" ", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(t => t.Text)));
    }

    private static double RssMb(int pid)
    {
        // "VmRSS:     40536 kB": the server process alone, not its engines.
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static double Median(List<double> values) => values.Count == 0 ? double.NaN : values.Order().ElementAt(values.Count / 2);

    private static string Range(List<double> values, string format) => values.Count == 0 ? "-"
        : $"{values.Min().ToString(format, CultureInfo.InvariantCulture)}-{values.Max().ToString(format, CultureInfo.InvariantCulture)}";

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private sealed class Samples
    {
        public List<double> Initialize { get; } = [];
        public List<double> ToolsList { get; } = [];
        public List<double> FirstExecute { get; } = [];
        public List<double> Calls { get; } = [];
        public List<double> CallP50s { get; } = [];
        public List<double> RssMb { get; } = [];

        public void Add(Samples other)
        {
            Initialize.AddRange(other.Initialize);
            ToolsList.AddRange(other.ToolsList);
            FirstExecute.AddRange(other.FirstExecute);
            Calls.AddRange(other.Calls);
            CallP50s.AddRange(other.CallP50s);
            RssMb.AddRange(other.RssMb);
        }
    }
}
