using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MatlabMcp.Jobs;

/// <summary>Enforces jobs.retention_hours and audit.retention_days: at start, then hourly.</summary>
internal sealed partial class JobMaintenance(JobManager jobs, JobStore store, AuditLog audit, TimeProvider time,
    ILogger<JobMaintenance> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store.LostAtStart > 0)
            LogLost(logger, store.LostAtStart);
        // The first retention pass deletes rows: off the host's start, which waits for this method's first await.
        await Task.Yield();
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        try
        {
            do
            {
                var removed = jobs.EnforceRetention();
                if (removed > 0)
                    LogRemoved(logger, removed);
                var expired = audit.EnforceRetention();
                if (expired > 0)
                    LogAuditRemoved(logger, expired);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} jobs were running when the server last stopped; marked lost")]
    private static partial void LogLost(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} finished jobs past jobs.retention_hours deleted")]
    private static partial void LogRemoved(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} audit rows past audit.retention_days deleted")]
    private static partial void LogAuditRemoved(ILogger logger, int count);
}
