using MatlabMcp.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Pool;

/// <summary>
/// The pool's clock: warms the spares at start, then every second closes sessions idle past
/// sessions.idle_timeout, and every pool.health_check_interval health-checks idle engines and trims spares.
/// State lives in <see cref="EnginePool"/> and <see cref="SessionRegistry"/>; this class only keeps time.
/// </summary>
internal sealed partial class PoolMaintenance(EnginePool pool, SessionRegistry sessions, IOptions<PoolOptions> options, TimeProvider time,
    ILogger<PoolMaintenance> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        pool.EnsureSpares();
        var nextHealthCheck = time.GetTimestamp();
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await sessions.ReapIdleAsync();
                if (time.GetElapsedTime(nextHealthCheck) < options.Value.HealthCheckInterval)
                    continue;
                nextHealthCheck = time.GetTimestamp();
                await pool.MaintainSparesAsync(stoppingToken);
                await sessions.CheckHealthAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogMaintenanceFailed(logger, e);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "pool maintenance stopped")]
    private static partial void LogMaintenanceFailed(ILogger logger, Exception exception);
}

internal static class EngineWarmUp
{
    /// <summary>
    /// Starts the pool's first spare engines as soon as the host is built, so Octave's start (0.2-1 s) overlaps the host's
    /// own (hosted services, the transport): a client that spawns the server sends its first execute_code right after
    /// initialize, and that call waits for this engine. <see cref="PoolMaintenance"/> tops up from the count this leaves.
    /// </summary>
    public static THost StartWarmingEngines<THost>(this THost host) where THost : IHost
    {
        host.Services.GetRequiredService<EnginePool>().EnsureSpares();
        return host;
    }
}
