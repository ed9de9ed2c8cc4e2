using MatlabMcp.Configuration;
using MatlabMcp.Output;
using MatlabMcp.Pool;

namespace MatlabMcp.Jobs;

/// <summary>What one call asks of its run beyond the code; null members take the server's configured defaults.</summary>
/// <param name="Figures">The figures' format (output.figure_format when null).</param>
/// <param name="MaxOutputChars">The caller's output budget (lowered to output.max_output_chars; null: that ceiling).</param>
/// <param name="Call">A function to call with data instead of evaluating the code (the code is what the policy checked).</param>
/// <param name="AddPath">An engine folder added to the session's path before the run.</param>
internal sealed record RunOptions(FigureFormat? Figures = null, int? MaxOutputChars = null, EngineCall? Call = null, string? AddPath = null)
{
    public static readonly RunOptions Default = new();
}

/// <summary>A job while this server runs it: its record, its output and events (<see cref="OutputSink"/>), and cancellation.</summary>
internal sealed class Job
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource<ExecutionOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private JobRecord _record;

    public Job(JobRecord record, int keepOutputChars, TimeProvider time, RunOptions? options = null)
    {
        _record = record;
        Options = options ?? RunOptions.Default;
        Output = new OutputSink(keepOutputChars, time);
    }

    public JobRecord Record { get { lock (_lock) return _record; } }
    public string Id => Record.Id;
    public OutputSink Output { get; }

    /// <summary>What the caller asked of this run beyond the code (e.g. its figures' format).</summary>
    public RunOptions Options { get; }
    public CancellationTokenSource Cancellation { get; } = new();
    public Task<ExecutionOutcome> Completion => _completion.Task;

    /// <summary>The last mcp_progress report, as job status shows it.</summary>
    public JobProgress? LastProgress => Output.LatestProgress is { } last ? new JobProgress(last.Fraction, last.Message, last.At) : null;

    /// <summary>Moves the record forward; a finished record never changes again.</summary>
    public JobRecord Update(Func<JobRecord, JobRecord> change)
    {
        lock (_lock)
            return _record.IsFinished ? _record : _record = change(_record);
    }

    /// <summary>Ends the job: its event stream ends too (progress frames can arrive after the printed output has ended).</summary>
    public void Complete(ExecutionOutcome outcome)
    {
        Output.CloseSpill();
        Output.Events.End();
        _completion.TrySetResult(outcome);
    }
}
