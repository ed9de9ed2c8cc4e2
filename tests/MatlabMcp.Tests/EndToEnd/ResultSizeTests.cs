using System.Text.Json;
using MatlabMcp.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>
/// Issue 13: what typical calls cost an agent, measured as the client receives them (the whole result as JSON: text,
/// links and structuredContent), through the real server and SDK client with the default config. Each row has its budget;
/// the README's size table quotes these budgets and the sizes this test prints, and this test keeps it honest.
/// </summary>
public sealed class ResultSizeTests
{
    /// <summary>A row of the README's table: the call, and the most characters its whole result may take.</summary>
    private sealed record Row(string Call, int Budget);

    private static readonly Row Small = new("execute_code `x = 42`", 400);
    private static readonly Row Matrix = new("execute_code `R = rand(300)` (no semicolon: 1.17 MB printed)", 21_000);
    private static readonly Row Help = new("execute_code `help plot`", 7_000);
    private static readonly Row Loop = new("execute_code, a loop printing 100,000 lines", 23_000);
    private static readonly Row Refusal = new("execute_code refused by the code policy (`system('ls')`)", 1_200);
    private static readonly Row Status = new("get_job_status of the `R = rand(300)` job", 5_000);
    private static readonly Row Result = new("get_job_result of the `R = rand(300)` job", 21_000);
    private static readonly Row List = new("list_jobs with 50 jobs (20 listed)", 5_000);
    private static readonly Row Workspace = new("get_workspace with 50 variables", 5_000);

    [Test]
    public async Task TypicalCalls_StayWithinTheirBudgets()
    {
        await using var server = await ConfiguredServer.StartAsync();
        var measured = new List<(Row Row, int Chars)>();
        async Task<CallToolResult> Measure(Row row, string tool, params (string, object?)[] args)
        {
            var result = await server.CallAsync(tool, args);
            measured.Add((row, JsonSerializer.Serialize(result, McpJsonUtilities.DefaultOptions).Length));
            return result;
        }

        await Measure(Small, "execute_code", ("code", "x = 42"));
        var matrix = await Measure(Matrix, "execute_code", ("code", "R = rand(300)"));
        await Measure(Help, "execute_code", ("code", "help plot"));
        await Measure(Loop, "execute_code", ("code", "for k = 1:100000, fprintf('line %d\\n', k); end"));
        await Measure(Refusal, "execute_code", ("code", "system('ls')"));
        // A long result names its job in the cut marker (it carries no structuredContent).
        var job = ConfiguredServer.Structured(matrix, "job_id") ?? System.Text.RegularExpressions.Regex.Match(ConfiguredServer.Text(matrix), "job-[0-9a-f]{12}").Value;
        await Measure(Status, "get_job_status", ("job_id", job));
        await Measure(Result, "get_job_result", ("job_id", job));
        for (var i = 0; i < 45; i++)
            await server.CallAsync("execute_code", ("code", $"variable_{i:00} = {i};"));
        await Measure(List, "list_jobs");
        await Measure(Workspace, "get_workspace");

        var table = string.Join('\n', measured.Select(m => $"| {m.Row.Call} | {m.Chars:N0} | {m.Row.Budget:N0} |"));
        TestContext.Current?.Output.WriteLine($"| call | characters | budget |\n|---|---:|---:|\n{table}");
        foreach (var (row, chars) in measured)
            await Assert.That(chars).IsLessThanOrEqualTo(row.Budget).Because($"{row.Call} returned {chars:N0} characters");
        await Assert.That(ConfiguredServer.Text(matrix)).Contains($"the full text is in output/{job}.txt"); // the budget came from cutting, not failing
    }
}
