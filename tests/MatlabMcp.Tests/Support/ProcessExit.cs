using System.Diagnostics;

namespace MatlabMcp.Tests.Support;

internal static class ProcessExit
{
    /// <summary>Waits for a server asked to stop; one that has not stopped within the grace is killed with its children.</summary>
    public static async Task WaitOrKillAsync(this Process process, TimeSpan grace)
    {
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
