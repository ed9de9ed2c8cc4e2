using MatlabMcp.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MatlabMcp.Pool;

/// <summary>
/// The pool's clock: warms the spares at start, then every second closes sessions idle past
/// sessions.idle_timeout, and every pool.health_check_interval health-checks idle engines and trims spares.
/// State lives in <see cref="EnginePool"/> and <see cref="SessionRegistry"/>; this class only keeps time.
/// </summary>
internal sealed partial class PoolMaintenance(EnginePool pool, SessionRegistry sessions, AppConfig config, TimeProvider time,
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
                if (time.GetElapsedTime(nextHealthCheck) < config.Pool.HealthCheckInterval)
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
