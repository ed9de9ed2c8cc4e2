using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>Figures are headless: plotting prints nothing (no toolkit warning, no ASCII-art plot), printing to a file works.</summary>
public sealed class EngineFigureTests : IAsyncDisposable
{
    private readonly EngineHarness _engine = new();

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Test]
    public async Task FirstPlotInANewSession_PrintsNothing()
    {
        var outcome = await _engine.RunAsync("plot(1:3); drawnow;", timeoutSeconds: 60);

        await Assert.That((outcome.Status, outcome.Output)).IsEqualTo((JobState.Completed, ""));
    }

    [Test]
    public async Task PrintToPng_WritesTheFile_AndPrintsNothing()
    {
        var session = await _engine.SessionAsync();

        var outcome = await _engine.RunAsync("h = figure; plot(1:3); title('t'); print(h, 'plot.png', '-dpng'); close(h);",
            timeoutSeconds: 60);

        await Assert.That((outcome.Status, outcome.Output)).IsEqualTo((JobState.Completed, ""));
        var png = await File.ReadAllBytesAsync(Path.Combine(session.Folder, "plot.png"));
        await Assert.That(png[..4].AsEnumerable()).IsEquivalentTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, CollectionOrdering.Matching);
        await Assert.That(png.Length > 1000).IsTrue().Because($"{png.Length} bytes");
    }
}
