using System.Diagnostics;
using MatlabMcp.Bench;
using ModelContextProtocol.Client;

// Benchmarks (not tests): every figure is printed beside a baseline measured in the same run.
//   dotnet run -c Release --project bench/MatlabMcp.Bench [-- --calls N --spawns N --warmup S --seconds S --only policy,bridge,plotly,stdio,spare,spawn,http,startup,figures]
//   figures: [--figure-calls N] a plot through the stdio server, as a PNG and with Plotly JSON
//   plotly (one engine in this process, no server): [--plotly-calls N] the same export with the engine's CPU, and the conversion alone
//   bridge (Engine.EvalAsync in this process, no server): [--engines N]; stdio, spare, http: [--server PATH/matlab-mcp.dll]
//   startup (JIT build beside the AOT binary): [--rounds N --first-calls N --aot PATH]; bench/startup.sh builds both and runs it.
var calls = ArgValue("--calls", 2000);
var spawns = ArgValue("--spawns", 20);
var warmup = ArgValue("--warmup", 8); // seconds of calls before measuring: the steady state, not the JIT
var seconds = ArgValue("--seconds", 8);
var only = Array.IndexOf(args, "--only") is var o and >= 0 && o + 1 < args.Length ? args[o + 1].Split(',') : null;
bool Runs(string section) => only is null || only.Contains(section);
if (Runs("policy"))
    PolicyBench.Print();
if (Runs("bridge"))
    foreach (var line in await BridgeBench.RunAsync(calls, warmup, ArgValue("--engines", 4), seconds))
        Console.WriteLine(line);
if (Runs("plotly"))
    foreach (var line in await PlotlyBench.RunAsync(ArgValue("--plotly-calls", 30)))
        Console.WriteLine(line);
if (!Runs("stdio") && !Runs("spare") && !Runs("spawn") && !Runs("http") && !Runs("startup") && !Runs("figures")) return 0;
// --server PATH compares another build (a copy of bin/Release/net10.0 kept from an earlier commit) in the same session.
var root = FindRoot();
var serverDll = Array.IndexOf(args, "--server") is var d and >= 0 && d + 1 < args.Length ? Path.GetFullPath(args[d + 1])
    : Path.Combine(root, "bin", "Release", "net10.0", "matlab-mcp.dll");
if (!File.Exists(serverDll))
{
    Console.Error.WriteLine($"Build the server first: dotnet build -c Release ({serverDll} is missing).");
    return 1;
}
if (Runs("startup"))
{
    // The AOT binary run.sh starts (bin/aot/current), unless --aot names another.
    var aotBinary = Array.IndexOf(args, "--aot") is var a and >= 0 && a + 1 < args.Length ? args[a + 1]
        : Path.Combine(root, "bin", "aot", "current", "matlab-mcp");
    if (!File.Exists(aotBinary))
    {
        Console.Error.WriteLine($"startup: build the AOT binary first: ./run.sh --version, or ./publish.sh and --aot publish/matlab-mcp ({aotBinary} is missing).");
        if (only is not null)
            return 1;
    }
    else
        await StartupAsync(aotBinary);
}

async Task StartupAsync(string aotBinary)
{
    var aotDir = Path.GetDirectoryName(Path.GetFullPath(aotBinary))!;
    var jitDir = Path.GetDirectoryName(serverDll)!;
    await StartupBench.PrintAsync(
    [
        new("jit", "dotnet", [serverDll], Directory.EnumerateFiles(jitDir, "*.dll").Sum(f => new FileInfo(f).Length),
            "(its dlls; the .NET runtime is shared: ./publish.sh --jit makes one 105 MB file)"),
        new("aot", aotBinary, [], new FileInfo(aotBinary).Length + (File.Exists(Path.Combine(aotDir, "libe_sqlite3.so"))
            ? new FileInfo(Path.Combine(aotDir, "libe_sqlite3.so")).Length : 0), "(binary + libe_sqlite3.so)"),
    ], ArgValue("--rounds", 5), ArgValue("--first-calls", 300));
}

var results = new List<Stats>();
var scratch = Directory.CreateTempSubdirectory("mcp-bench-").FullName; // its own job database, not the user's
Stats? stdio = null, spawn = null;
var stdioCpu = "";

if (Runs("stdio") || Runs("spare") || Runs("figures"))
{
    // (a) Trivial execute_code round trips through the real stdio MCP server and the official SDK client.
    await using var client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
    {
        Name = "bench", Command = "dotnet", Arguments = [serverDll],
        EnvironmentVariables = new Dictionary<string, string?>
        {
            ["MATLAB_MCP_JOBS__DATABASE"] = Path.Combine(scratch, "jobs.db"),
            ["MATLAB_MCP_SESSIONS__MAX_PER_IDENTITY"] = "16", // main + fresh-* + load-* must all fit
        },
    }));
    await TrivialCalls.WarmUpAsync(client, Runs("stdio") ? warmup : 0);
    if (Runs("figures"))
        results.AddRange(await FigureBench.RunAsync(client, ArgValue("--figure-calls", 30)));
    if (Runs("stdio"))
        results.Add(stdio = await TrivialCalls.TimeAsync(client, calls, "matlab-mcp stdio execute_code (persistent)"));

    // (c) First result in a brand-new session while a warm spare is ready (goal <= 20 ms).
    var firstCalls = new List<double>();
    for (var i = 0; i < (Runs("spare") ? 15 : 0); i++)
    {
        await Task.Delay(1500); // let the pool warm its next spare (an engine starts in 0.3-1 s here)
        var session = $"fresh-{i}";
        var start = Stopwatch.GetTimestamp();
        await client.CallToolAsync("execute_code", new Dictionary<string, object?> { ["code"] = "y = 1;", ["session"] = session });
        firstCalls.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        await client.CallToolAsync("close_session", new Dictionary<string, object?> { ["session"] = session });
    }
    if (firstCalls.Count > 0)
        results.Add(Stats.Of("first call in a new session (warm spare)", firstCalls));

    // (d) Throughput: 4 sessions driven concurrently through one stdio connection.
    if (Runs("stdio"))
    {
        var (stats, cpu) = await ThroughputAsync(client, sessions: 4, seconds);
        results.Add(stats);
        stdioCpu = cpu;
    }
}

if (Runs("spawn"))
{
    // (b) The peer approach: one octave-cli --eval process per call.
    var spawned = new List<double>(spawns);
    for (var i = 0; i < spawns; i++)
    {
        var start = Stopwatch.GetTimestamp();
        using var process = Process.Start(new ProcessStartInfo("octave-cli", ["--quiet", "--no-init-file", "--eval", "y = 1;"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        await process.WaitForExitAsync();
        spawned.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }
    results.Add(spawn = Stats.Of("octave-cli --eval per call (peer approach)", spawned));
}

// (e) The same call over Streamable HTTP with bearer auth, and 4 HTTP clients with their own sessions at once.
var throughput = "";
if (Runs("http"))
{
    var (http, text) = await HttpBench.RunAsync(serverDll, calls, warmup, clients: 4, seconds);
    results.AddRange(http);
    throughput = $"{text}\n(goals: http p50 <= 2 ms, >= 2000 calls/s)";
}

foreach (var stats in results)
    Console.WriteLine(stats);
if (stdio is not null && spawn is not null)
    Console.WriteLine($"speed-up at p50: {spawn.P50Ms / stdio.P50Ms:0}x (goal: >= 100x; our p50 goal <= 1 ms; " +
        "new session <= 20 ms; 4 sessions >= 2000 calls/s)");
if (stdioCpu.Length > 0)
    Console.WriteLine($"stdio throughput, {stdioCpu}");
if (throughput.Length > 0)
    Console.WriteLine(throughput);
return 0;

static async Task<(Stats Stats, string Cpu)> ThroughputAsync(McpClient client, int sessions, double seconds)
{
    for (var s = 0; s < sessions; s++)
        for (var k = 0; k < 50; k++) // starts each session's engine and warms it
            await client.CallToolAsync("execute_code", new Dictionary<string, object?> { ["code"] = "y = 1;", ["session"] = $"load-{s}" });
    var samples = new List<double>();
    var meter = CpuMeter.FindStdioServer() is { } server ? CpuMeter.Start(server) : null;
    var stop = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    var started = Stopwatch.GetTimestamp();
    await Task.WhenAll(Enumerable.Range(0, sessions).Select(async s =>
    {
        var args = new Dictionary<string, object?> { ["code"] = "y = 1;", ["session"] = $"load-{s}" };
        while (Stopwatch.GetTimestamp() < stop)
        {
            var t = Stopwatch.GetTimestamp();
            if ((await client.CallToolAsync("execute_code", args)).IsError == true)
                throw new InvalidOperationException($"execute_code failed in session load-{s}: a refused call must not count");
            lock (samples)
                samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
    }));
    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var stats = Stats.Of($"{sessions} sessions concurrently: {samples.Count / elapsed:0} calls/s", samples);
    return (stats, meter?.PerCall(samples.Count) ?? "");
}

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
