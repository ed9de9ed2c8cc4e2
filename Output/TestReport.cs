using System.Text.Json.Serialization;

namespace MatlabMcp.Output;

/// <summary>run_tests' result (structuredContent): the counts, one entry per test, and the run around them.</summary>
internal sealed record TestRunReport
{
    /// <summary>completed when the tests ran (whatever they found); timed_out, cancelled, failed ... when the run itself did not end.</summary>
    [JsonPropertyName("status")] public required JobState Status { get; init; }
    [JsonPropertyName("passed")] public int Passed { get; init; }
    [JsonPropertyName("failed")] public int Failed { get; init; }

    /// <summary>Tests not run (a %!testif whose feature or condition is missing) or known failures (%!xtest).</summary>
    [JsonPropertyName("skipped")] public int Skipped { get; init; }

    /// <summary>The tests in file and line order; failures are always listed, passes while the list is short.</summary>
    [JsonPropertyName("tests")] public required IReadOnlyList<TestCaseReport> Tests { get; init; }

    /// <summary>Passing tests left out of <see cref="Tests"/> to keep the result small (their count is in <see cref="Passed"/>).</summary>
    [JsonPropertyName("tests_not_listed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int TestsNotListed { get; init; }

    /// <summary>The test files that ran, as given (relative to the session folder, or the project path).</summary>
    [JsonPropertyName("files")] public required IReadOnlyList<string> Files { get; init; }

    /// <summary>What the tests printed (bounded like execute_code's output; output_file holds the full text when cut).</summary>
    [JsonPropertyName("output")] public required string Output { get; init; }
    [JsonPropertyName("output_truncated"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool OutputTruncated { get; init; }
    [JsonPropertyName("output_file"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public OutputFileInfo? OutputFile { get; init; }
    [JsonPropertyName("elapsed_ms")] public double ElapsedMs { get; init; }
    [JsonPropertyName("job_id")] public string? JobId { get; init; }

    /// <summary>Why the run did not end normally, or the error that stopped it (then the counts are what is known: none).</summary>
    [JsonPropertyName("message"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Message { get; init; }
}

/// <summary>One test: where it is, whether it passed, why not, and how long it took.</summary>
/// <param name="Name">Its first code line, short (e.g. "assert (f(2), 4)"); MATLAB: the TestResult's name.</param>
/// <param name="Line">1-based line of the block's first line (0 when the engine cannot say: MATLAB, a name not found).</param>
internal sealed record TestCaseReport(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("passed")] bool Passed,
    [property: JsonPropertyName("message"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message,
    [property: JsonPropertyName("duration_ms")] double DurationMs,
    [property: JsonPropertyName("skipped"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Skipped = false);

/// <summary>What matlab/private/mcp_bridge_tests.m returns (the first output of the call).</summary>
internal sealed record EngineTestResults(
    [property: JsonPropertyName("passed")] int Passed,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("skipped")] int Skipped,
    [property: JsonPropertyName("tests")] List<TestCaseReport> Tests);
