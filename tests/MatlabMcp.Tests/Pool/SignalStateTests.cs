using System.Diagnostics;
using MatlabMcp.Pool;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>What an interrupt that got no answer reports about the engine: run state, signal masks, wait channel.</summary>
public sealed class SignalStateTests
{
    [Test]
    public async Task LiveProcess_ReportsStateSignalMasksAndWaitChannel()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", ["30"]))!;
        try
        {
            await Wait.UntilAsync(() => Native.SignalState(sleeper.Id).Contains("State: S", StringComparison.Ordinal), "sleep to be sleeping");

            var state = Native.SignalState(sleeper.Id);

            foreach (var field in new[] { "SigPnd:", "ShdPnd:", "SigBlk:", "SigCgt:", "wchan " })
                await Assert.That(state).Contains(field);
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Test]
    public async Task GoneProcess_SaysSo()
    {
        using var done = Process.Start(new ProcessStartInfo("true"))!;
        await done.WaitForExitAsync();

        await Assert.That(Native.SignalState(done.Id)).IsEqualTo("process gone");
    }
}
