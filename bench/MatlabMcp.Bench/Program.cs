using System.Diagnostics;
using MatlabMcp.Bench;
using ModelContextProtocol.Client;

// Benchmarks (not tests): every figure is printed beside a baseline measured in the same run.
//   dotnet run -c Release --project bench/MatlabMcp.Bench [-- --calls N --spawns N]
var calls = ArgValue("--calls", 2000);
var spawns = ArgValue("--spawns", 20);
var root = FindRoot();
var serverDll = Path.Combine(root, "bin", "Release", "net10.0", "matlab-mcp.dll");
if (!File.Exists(serverDll))
{
    Console.Error.WriteLine($"Build the server first: dotnet build -c Release ({serverDll} is missing).");
    return 1;
}

var results = new List<Stats>();

// (a) Trivial execute_code round trips through the real stdio MCP server and the official SDK client.
await using (var client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
{
    Name = "bench", Command = "dotnet", Arguments = [serverDll],
})))
{
    var trivial = new Dictionary<string, object?> { ["code"] = "y = 1;" };
    for (var i = 0; i < 50; i++)
        await client.CallToolAsync("execute_code", trivial); // warm-up: JIT, engine start
    var samples = new List<double>(calls);
    for (var i = 0; i < calls; i++)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await client.CallToolAsync("execute_code", trivial);
        samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        if (result.IsError == true)
            throw new InvalidOperationException("execute_code failed during the benchmark");
    }
    results.Add(Stats.Of("matlab-mcp stdio execute_code (persistent)", samples));
}

// (b) The peer approach: one octave-cli --eval process per call.
{
    var samples = new List<double>(spawns);
    for (var i = 0; i < spawns; i++)
    {
        var start = Stopwatch.GetTimestamp();
        using var process = Process.Start(new ProcessStartInfo("octave-cli", ["--quiet", "--no-init-file", "--eval", "y = 1;"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        await process.WaitForExitAsync();
        samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }
    results.Add(Stats.Of("octave-cli --eval per call (peer approach)", samples));
}

foreach (var stats in results)
    Console.WriteLine(stats);
Console.WriteLine($"speed-up at p50: {results[1].P50Ms / results[0].P50Ms:0}x (goal: >= 100x; our p50 goal <= 1 ms)");
return 0;

int ArgValue(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "MatlabMcp.csproj")))
            return dir.FullName;
    throw new InvalidOperationException("run the benchmark from inside the repository");
}
