using MatlabMcp.Configuration;
using MatlabMcp.Output;
using MatlabMcp.Output.Figures;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Jobs;

/// <summary>Runs code in an engine under a time limit, interrupting (never abandoning) it.</summary>
internal sealed partial class CodeExecutor(IOptions<ExecutionOptions> options, CodePolicy policy, TimeProvider time, ILogger<CodeExecutor> logger)
{
    /// <summary>How long the export of an interrupted call's figures may take: ~0.2 s a figure, output.max_figures at most.</summary>
    private static readonly TimeSpan InterruptedExportLimit = TimeSpan.FromSeconds(30);

    /// <summary>Checks code and limit before anything runs: the refusal to return to the agent, or null when fine.</summary>
    public ExecutionOutcome? Validate(string? code, double? timeoutSeconds, out TimeSpan limit)
    {
        var execution = options.Value;
        limit = TimeSpan.FromSeconds(timeoutSeconds ?? execution.DefaultTimeoutSeconds);
        if (string.IsNullOrWhiteSpace(code))
            return ExecutionOutcome.Rejected("No code given: pass MATLAB/Octave statements in 'code'.");
        if (code.Length > execution.MaxCodeChars)
            return ExecutionOutcome.Rejected($"The code is {code.Length:N0} characters; the limit is {execution.MaxCodeChars:N0} " +
                "(execution.max_code_chars). Save long programs as files and run them instead.");
        if (timeoutSeconds is <= 0 || timeoutSeconds > execution.MaxExecutionTimeSeconds)
            return ExecutionOutcome.Rejected($"timeout_seconds must be between 0 and {execution.MaxExecutionTimeSeconds:0.#} " +
                $"(execution.max_execution_time); omit it for the default of {execution.DefaultTimeoutSeconds:0.#} s.");
        // Refused code never becomes a job: no session or engine is touched for it. The verdict travels on the outcome.
        if (policy.Check(code) is { IsAllowed: false } verdict)
        {
            LogRejectedByPolicy(logger, verdict.Violations.Count, verdict.Summary());
            return ExecutionOutcome.RejectedByPolicy(verdict);
        }
        return null;
    }

    public async Task<ExecutionOutcome> RunAsync(Engine engine, string code, TimeSpan limit, OutputSink sink,
        CancellationToken cancellationToken, FigureExport? figures = null, RunOptions? options = null)
    {
        var started = time.GetTimestamp();
        var inFlight = engine.EvalAsync(code, sink, figures?.Settings, options?.Call, options?.AddPath);
        using var timeout = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            return await FromResponseAsync(await inFlight.WaitAsync(linked.Token), sink, time.GetElapsedTime(started), figures);
        }
        catch (EngineDiedException e)
        {
            return new ExecutionOutcome(JobState.EngineDied, sink.Text, time.GetElapsedTime(started))
            {
                OutputTruncated = sink.Truncated,
                WorkspaceKept = false,
                Message = $"The engine ended during this call: {e.Message}. Its variables are lost; the next call starts a fresh engine.",
            };
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Which token fired decides how the result reads; both interrupt the engine the same way.
            var status = cancellationToken.IsCancellationRequested ? JobState.Cancelled : JobState.TimedOut;
            return await InterruptAsync(engine, inFlight, sink, status, limit, started, figures);
        }
    }

    private async Task<ExecutionOutcome> InterruptAsync(Engine engine, Task<BridgeResponse> inFlight, OutputSink sink,
        JobState status, TimeSpan limit, long started, FigureExport? figures)
    {
        var what = status == JobState.Cancelled ? "Cancelled" : $"Stopped: the {limit.TotalSeconds:0.###} s time limit was reached";
        try
        {
            if (await engine.InterruptAsync(inFlight) is { } finished)
                return await FromResponseAsync(finished, sink, time.GetElapsedTime(started), figures); // it completed just as we interrupted
            var elapsed = time.GetElapsedTime(started);
            LogInterrupted(logger, engine.ProcessId, elapsed.TotalSeconds);
            var (drawn, dropped) = await InterruptedFiguresAsync(engine, figures);
            return new ExecutionOutcome(status, WithoutInterruptEcho(sink.Text), elapsed)
            {
                Figures = drawn,
                FiguresDropped = dropped,
                OutputTruncated = sink.Truncated,
                Message = $"{what}; the code was interrupted after {elapsed.TotalSeconds:0.0} s. " +
                    "The workspace is kept: variables assigned before the interrupt are still there.",
            };
        }
        catch (EngineDiedException e)
        {
            engine.Kill();
            var elapsed = time.GetElapsedTime(started);
            LogInterruptFailed(logger, engine.ProcessId, e.Message);
            return new ExecutionOutcome(status, sink.Text, elapsed)
            {
                OutputTruncated = sink.Truncated,
                WorkspaceKept = false,
                Message = $"{what}; the code was stopped after {elapsed.TotalSeconds:0.0} s, but {e.Message}, so the engine " +
                    "was killed. The workspace was lost; the next call starts a fresh engine.",
            };
        }
    }

    /// <summary>Octave prints a newline as it unwinds from an interrupt; it is not the program's output.</summary>
    private static string WithoutInterruptEcho(string output) =>
        output.EndsWith("\n\n", StringComparison.Ordinal) ? output.TrimEnd('\n') + "\n" : output;

    /// <summary>
    /// The figures an interrupted run drew before it was stopped (its eval never reached the export), so a long simulation
    /// stopped at its time limit still shows its plot; and nothing is left open to pass for the next call's.
    /// </summary>
    private async Task<(List<FigureReport>?, int)> InterruptedFiguresAsync(Engine engine, FigureExport? figures)
    {
        if (figures is null)
            return (null, 0);
        try
        {
            var response = await engine.ExportFiguresAsync(figures.Settings).WaitAsync(InterruptedExportLimit, time);
            return await FigureCollector.CollectAsync(response.Figures, figures, CancellationToken.None);
        }
        catch (Exception e) when (e is TimeoutException or EngineDiedException)
        {
            LogFigureExportFailed(logger, engine.ProcessId, e.Message);
            return (null, 0);
        }
    }

    private static async Task<ExecutionOutcome> FromResponseAsync(BridgeResponse response, OutputSink sink, TimeSpan elapsed,
        FigureExport? figures)
    {
        var (drawn, dropped) = await FigureCollector.CollectAsync(response.Figures, figures, CancellationToken.None);
        return new(response.Ok ? JobState.Completed : JobState.Failed, response.Output ?? "", elapsed)
        {
            Error = response.Error,
            OutputTruncated = sink.Truncated,
            Figures = drawn,
            FiguresDropped = dropped,
            Value = response.Value,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "code refused by the code policy ({Count} problems): {Violations}")]
    private static partial void LogRejectedByPolicy(ILogger logger, int count, string violations);

    [LoggerMessage(Level = LogLevel.Information, Message = "engine {ProcessId}: interrupted after {Seconds:0.0} s, workspace kept")]
    private static partial void LogInterrupted(ILogger logger, int processId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "engine {ProcessId}: figures of an interrupted call not exported ({Reason})")]
    private static partial void LogFigureExportFailed(ILogger logger, int processId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "engine {ProcessId}: interrupt failed ({Reason}); engine killed")]
    private static partial void LogInterruptFailed(ILogger logger, int processId, string reason);
}
