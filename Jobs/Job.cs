using MatlabMcp.Pool;

namespace MatlabMcp.Jobs;

/// <summary>A job while this server runs it: its record, live output, progress and cancellation.</summary>
internal sealed class Job
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource<ExecutionOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private JobRecord _record;

    public Job(JobRecord record, int keepOutputChars, TimeProvider time)
    {
        _record = record;
        Output = new OutputSink(keepOutputChars)
        {
            OnProgress = (fraction, message) =>
            {
                var progress = new JobProgress(Math.Clamp(fraction, 0, 1), Shorten(message), time.GetUtcNow());
                LastProgress = progress;
                Progressed?.Invoke(progress);
            },
        };
    }

    /// <summary>Longest mcp_progress message kept: it travels in every progress notification and job status.</summary>
    internal const int MaxProgressMessageChars = 1000;

    private static string Shorten(string message)
    {
        if (message.Length <= MaxProgressMessageChars)
            return message;
        var keep = MaxProgressMessageChars - 1;
        if (char.IsHighSurrogate(message[keep - 1]))
            keep--; // never half a character: a lone surrogate is not valid UTF-8 on the wire
        return message[..keep] + "…";
    }

    public JobRecord Record { get { lock (_lock) return _record; } }
    public string Id => Record.Id;
    public OutputSink Output { get; }
    public CancellationTokenSource Cancellation { get; } = new();
    public Task<ExecutionOutcome> Completion => _completion.Task;
    public JobProgress? LastProgress { get; private set; }

    /// <summary>mcp_progress reports as they arrive.</summary>
    public event Action<JobProgress>? Progressed;

    /// <summary>Moves the record forward; a finished record never changes again.</summary>
    public JobRecord Update(Func<JobRecord, JobRecord> change)
    {
        lock (_lock)
            return _record.IsFinished ? _record : _record = change(_record);
    }

    public void Complete(ExecutionOutcome outcome) => _completion.TrySetResult(outcome);
}
