using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MatlabMcp.Endpoints.Http;

/// <summary>Ticks the idle check of <see cref="McpSessionStore"/>, and closes every session at shutdown.</summary>
internal sealed partial class McpSessionReaper(McpSessionStore sessions, TimeProvider time, ILogger<McpSessionReaper> logger)
    : BackgroundService
{
    /// <summary>How often idle sessions are looked for; expiry is therefore late by at most this much.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(Interval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await sessions.PruneIdleAsync();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            LogClosingAll(logger, sessions.Count);
            await sessions.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "closing {Count} MCP sessions")]
    private static partial void LogClosingAll(ILogger logger, int count);
}
