using System.Collections.Concurrent;
using System.Diagnostics;

namespace MatlabMcp.Pool;

/// <summary>
/// Starts every engine process from one long-lived thread. Engines are launched with a parent-death
/// signal (setpriv --pdeathsig / bwrap --die-with-parent), and Linux sends it when the *thread* that
/// forked them exits: a retiring thread-pool thread would silently kill healthy engines.
/// </summary>
internal sealed class ProcessSpawner : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Done)> _queue = new();
    private readonly Thread _thread;

    public ProcessSpawner()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "engine-spawner" };
        _thread.Start();
    }

    public Task<Process> StartAsync(ProcessStartInfo info)
    {
        var done = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((info, done));
        return done.Task;
    }

    private void Run()
    {
        foreach (var (info, done) in _queue.GetConsumingEnumerable())
        {
            try
            {
                done.SetResult(Process.Start(info) ?? throw new InvalidOperationException($"'{info.FileName}' did not start."));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }
    }

    public void Dispose() => _queue.CompleteAdding();
}
