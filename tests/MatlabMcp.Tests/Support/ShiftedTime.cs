namespace MatlabMcp.Tests.Support;

/// <summary>
/// The system clock plus an offset the test moves forward. Timers stay real (the engine's own timeouts
/// still fire); only "what time is it" jumps, which is what idle expiry reads.
/// </summary>
/// <remarks>
/// Kept beside FakeTimeProvider on purpose: tests built on <see cref="EngineHarness"/> start and stop real engines,
/// whose start-up, drain, interrupt and kill waits are timers on this same clock; on a FakeTimeProvider they
/// would never fire unless the test advanced time, so those tests would hang or test a different engine.
/// </remarks>
internal sealed class ShiftedTime : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override long GetTimestamp() =>
        System.GetTimestamp() + Interlocked.Read(ref _offsetTicks) * System.TimestampFrequency / TimeSpan.TicksPerSecond;

    public override long TimestampFrequency => System.TimestampFrequency;
}
