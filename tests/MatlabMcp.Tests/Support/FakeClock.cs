using Microsoft.Extensions.Time.Testing;

namespace MatlabMcp.Tests.Support;

/// <summary>
/// <see cref="FakeTimeProvider"/> that also says when the first timer exists: a background service creates its
/// PeriodicTimer on its own thread, and time advanced before that would not reach the timer.
/// </summary>
internal sealed class FakeClock : FakeTimeProvider
{
    private readonly TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task TimerCreated => _timerCreated.Task;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timerCreated.TrySetResult();
        return timer;
    }
}
