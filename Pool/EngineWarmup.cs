using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MatlabMcp.Pool;

/// <summary>Starts the default session's engine at server start, so the first call does not pay for it.</summary>
internal sealed partial class EngineWarmup(SessionRegistry sessions, ILogger<EngineWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var lease = await sessions.Get().AcquireAsync(stoppingToken);
            LogWarm(logger, lease.Engine.ProcessId);
        }
        catch (EngineStartException e)
        {
            // Not fatal: every call retries the start and reports this message to the agent.
            LogWarmupFailed(logger, e.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "engine {ProcessId} ready")]
    private static partial void LogWarm(ILogger logger, int processId);

    [LoggerMessage(Level = LogLevel.Error, Message = "engine failed to start: {Reason}")]
    private static partial void LogWarmupFailed(ILogger logger, string reason);
}
