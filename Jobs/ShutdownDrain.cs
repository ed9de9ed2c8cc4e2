using MatlabMcp.Configuration;
using Microsoft.Extensions.Hosting;

namespace MatlabMcp.Jobs;

/// <summary>
/// On SIGTERM: refuse new calls, let running ones finish (up to pool.drain_timeout), and only then let the
/// host stop the transport and the engines. Registered after the MCP transport so it stops before it.
/// </summary>
internal sealed class ShutdownDrain(CodeExecutor executor, AppConfig config) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) =>
        executor.DrainAsync(config.Pool.DrainTimeout, cancellationToken);
}
