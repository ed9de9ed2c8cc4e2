namespace MatlabMcp.Tests.Support;

/// <summary>
/// The system clock plus an offset the test moves forward. Timers stay real (the engine's own timeouts
/// still fire); only "what time is it" jumps, which is what idle expiry reads.
/// </summary>
internal sealed class ShiftedTime : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override long GetTimestamp() =>
        System.GetTimestamp() + Interlocked.Read(ref _offsetTicks) * System.TimestampFrequency / TimeSpan.TicksPerSecond;

    public override long TimestampFrequency => System.TimestampFrequency;
}
