using System.Runtime.InteropServices;
using MatlabMcp.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Jobs;

/// <summary>
/// Replaces the console lifetime: on SIGTERM (or Ctrl-C) new calls are refused and running ones may finish,
/// up to pool.drain_timeout, and only then does the host stop the transport and the engines. The default
/// lifetime stops everything at once, which cancels the very responses a drain exists to deliver.
/// </summary>
internal sealed class DrainingLifetime(JobManager jobs, IOptions<PoolOptions> pool, IHostApplicationLifetime lifetime, TimeProvider time)
    : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private static readonly TimeSpan ResponseFlushGrace = TimeSpan.FromMilliseconds(250);
    private int _signalled;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        return Task.CompletedTask;
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // we stop the host ourselves, after the drain
        if (Interlocked.Exchange(ref _signalled, 1) == 1)
        {
            lifetime.StopApplication(); // a second signal: stop now
            return;
        }
        _ = Task.Run(async () =>
        {
            await jobs.DrainAsync(pool.Value.DrainTimeout, CancellationToken.None);
            // A finished call's response is written by the SDK just after our code returns; stopping the
            // host cancels that write, so give it a moment to reach the client.
            await Task.Delay(ResponseFlushGrace, time);
            lifetime.StopApplication();
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
    }
}
