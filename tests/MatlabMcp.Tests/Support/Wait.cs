namespace MatlabMcp.Tests.Support;

/// <summary>Polling with a bound: a condition that never comes true fails the test with what it waited for, never hangs it.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, string what, double seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow >= until)
                Assert.Fail($"waited {seconds:0} s for {what}");
            await Task.Delay(10);
        }
    }
}
