using MatlabMcp.Jobs;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>Figures are headless: plotting prints nothing (no toolkit warning, no ASCII-art plot), printing to a file works.</summary>
public sealed class EngineFigureTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Fact]
    public async Task FirstPlotInANewSession_PrintsNothing()
    {
        var outcome = await _engine.RunAsync("plot(1:3); drawnow;", timeoutSeconds: 60);

        Assert.Equal((ExecutionStatus.Completed, ""), (outcome.Status, outcome.Output));
    }

    [Fact]
    public async Task PrintToPng_WritesTheFile_AndPrintsNothing()
    {
        var session = await _engine.SessionAsync();

        var outcome = await _engine.RunAsync("h = figure; plot(1:3); title('t'); print(h, 'plot.png', '-dpng'); close(h);",
            timeoutSeconds: 60);

        Assert.Equal((ExecutionStatus.Completed, ""), (outcome.Status, outcome.Output));
        var png = await File.ReadAllBytesAsync(Path.Combine(session.Folder, "plot.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.True(png.Length > 1000, $"{png.Length} bytes");
    }
}
