using System.Globalization;

namespace MatlabMcp.Bench;

/// <summary>
/// CPU time of the server, of its engines (every process below it, sandboxed or not) and of this benchmark
/// client, read from /proc. On two shared cores these per-call figures are steadier than calls per second,
/// and they tell which of the three a throughput limit comes from.
/// </summary>
internal sealed class CpuMeter
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux build that matters here
    private readonly int _serverPid;
    private (double Server, double Engines, double Client) _start;

    private CpuMeter(int serverPid)
    {
        _serverPid = serverPid;
        _start = Read();
    }

    /// <summary>Starts measuring; null where /proc is missing (macOS).</summary>
    public static CpuMeter? Start(int serverPid) => Directory.Exists("/proc/self") ? new CpuMeter(serverPid) : null;

    /// <summary>The server this process started for a stdio transport (its child running matlab-mcp.dll or the AOT matlab-mcp).</summary>
    public static int? FindStdioServer() =>
        Snapshot().Where(p => p.ParentPid == Environment.ProcessId && CommandLine(p.Pid).Contains("matlab-mcp"))
            .Select(p => (int?)p.Pid).FirstOrDefault();

    /// <summary>"cpu per call: server … ms, engines … ms, client … ms" since the meter started.</summary>
    public string PerCall(int calls)
    {
        var now = Read();
        double Ms(double from, double to) => (to - from) * 1000 / TicksPerSecond / Math.Max(calls, 1);
        return string.Create(CultureInfo.InvariantCulture,
            $"cpu per call: server {Ms(_start.Server, now.Server):0.000} ms, engines {Ms(_start.Engines, now.Engines):0.000} ms, " +
            $"bench client {Ms(_start.Client, now.Client):0.000} ms");
    }

    private (double Server, double Engines, double Client) Read()
    {
        var processes = Snapshot();
        var children = processes.ToLookup(p => p.ParentPid);
        double server = 0, engines = 0, client = 0;
        foreach (var p in processes)
            if (p.Pid == _serverPid)
                server = p.Ticks;
            else if (p.Pid == Environment.ProcessId)
                client = p.Ticks;
        var below = new Stack<int>(children[_serverPid].Select(c => c.Pid));
        var byPid = processes.ToDictionary(p => p.Pid);
        while (below.TryPop(out var pid))
        {
            engines += byPid[pid].Ticks;
            foreach (var child in children[pid])
                below.Push(child.Pid);
        }
        return (server, engines, client);
    }

    private sealed record ProcessTicks(int Pid, int ParentPid, double Ticks);

    private static List<ProcessTicks> Snapshot()
    {
        var list = new List<ProcessTicks>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                // After the ")" that ends the command name: state ppid … utime(12th) stime(13th).
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                list.Add(new ProcessTicks(pid, int.Parse(fields[1], CultureInfo.InvariantCulture),
                    double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)));
            }
            catch (IOException)
            {
                // the process ended while we looked
            }
        }
        return list;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
