using System.Diagnostics;
using MatlabMcp.Configuration;
using MatlabMcp.Security;

namespace MatlabMcp.Bench;

/// <summary>
/// The code policy's cost on a realistic ~10 KB MATLAB file (policy_sample.m): lexing alone, and the whole check
/// execute_code runs before every call. Goal: p50 ≤ 0.5 ms. Run alone with <c>-- --policy-only</c>.
/// </summary>
internal static class PolicyBench
{
    private const double GoalMs = 0.5;

    public static void Print(int iterations = 3000)
    {
        var code = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policy_sample.m"));
        var policy = new CodePolicy(new CodePolicyOptions(), MatlabDialect.Octave);
        var verdict = policy.Check(code);
        if (!verdict.IsAllowed)
            throw new InvalidOperationException("policy_sample.m must pass the policy:\n" + verdict.Describe());

        var lexing = Measure(iterations, () => CountTokens(code));
        var checking = Measure(iterations, () => policy.Check(code).Violations.Count);
        var size = $"{code.Length / 1024.0:0.0} KB";
        Console.WriteLine(Stats.Of($"lexer, {size} MATLAB", lexing));
        Console.WriteLine(Stats.Of($"code policy check, {size} MATLAB", checking));
        Console.WriteLine($"code policy p50: {Stats.Of("", checking).P50Ms:0.000} ms for {size} (goal: <= {GoalMs} ms)");
    }

    private static int CountTokens(string code)
    {
        var lexer = new MatlabLexer(code, new LexerOptions(MatlabDialect.Octave));
        var count = 0;
        while (lexer.Next(out _))
            count++;
        return count;
    }

    private static List<double> Measure(int iterations, Func<int> work)
    {
        for (var i = 0; i < iterations / 10; i++)
            work(); // warm-up: JIT, tiered compilation
        var samples = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            work();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return samples;
    }
}
