using System.Buffers.Binary;
using MatlabMcp.Tests.EndToEnd;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Output;

/// <summary>
/// Issue 13, figures: after each execute_code every open figure comes back as a PNG image (and SVG / nothing on request)
/// and is closed, through a real server, a real Octave and the official C# client. Images reach the model in Claude Code:
/// a result with images carries no structuredContent (which would hide them there).
/// </summary>
public sealed class FigureExportTests : IAsyncDisposable
{
    private readonly string _workRoot = TraversableTempFolder();
    private ConfiguredServer? _server;

    /// <summary>A work root the engines' own uids (sandbox, as root) can pass through, as the server's default one is.</summary>
    private static string TraversableTempFolder()
    {
        var folder = Directory.CreateTempSubdirectory("mcp-figures-").FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        return folder;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        try
        {
            Directory.Delete(_workRoot, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task<ConfiguredServer> StartAsync(params (string Key, string Value)[] settings) =>
        _server = await ConfiguredServer.StartAsync([("engine__work_root", _workRoot), .. settings]);

    private static Task<CallToolResult> RunAsync(ConfiguredServer server, string code, string? format = null, double? timeout = null) =>
        server.CallAsync("execute_code", ("code", code), ("figure_format", format), ("timeout_seconds", timeout));

    private static (int Width, int Height) PngSize(ImageContentBlock image)
    {
        var png = image.DecodedData.Span;
        if (png.Length < 24 || png[1] != (byte)'P' || png[2] != (byte)'N' || png[3] != (byte)'G')
            throw new InvalidDataException("not a PNG");
        return ((int)BinaryPrimitives.ReadUInt32BigEndian(png[16..]), (int)BinaryPrimitives.ReadUInt32BigEndian(png[20..]));
    }

    [Test]
    public async Task APlot_ComesBackAsOnePng_OfTheStatedSize_NamedInTheText_AndIsClosedAfterwards()
    {
        var server = await StartAsync();

        var result = await RunAsync(server, "x = 1:10; plot(x, x.^2); title('squares');");

        await Assert.That(result.IsError).IsNotEqualTo(true);
        var image = await Assert.That(result.Content.OfType<ImageContentBlock>().ToList()).HasSingleItem();
        await Assert.That(image!.MimeType).IsEqualTo("image/png");
        var (width, height) = PngSize(image);
        // The default 560x420 figure at output.figure_dpi 120 (its on-screen size at 96 per inch, scaled).
        await Assert.That((width, height)).IsEqualTo((700, 525));
        var text = ConfiguredServer.Text(result);
        await Assert.That(text).Matches(@"Figure 1: figures/fig-[0-9a-f]{12}-1\.png \(700x525 px\)");
        await Assert.That(result.StructuredContent).IsNull().Because("Claude Code hides content when structuredContent is present");
        var file = text[text.IndexOf("figures/", StringComparison.Ordinal)..text.IndexOf(".png", StringComparison.Ordinal)] + ".png";
        var onDisk = await Assert.That(Directory.EnumerateFiles(_workRoot, Path.GetFileName(file), SearchOption.AllDirectories).ToList()).HasSingleItem();
        await Assert.That(File.ReadAllBytes(onDisk!)).IsEquivalentTo(image.DecodedData.ToArray(), CollectionOrdering.Matching);

        var next = await RunAsync(server, "disp(numel(get(0, 'children')))");
        await Assert.That(ConfiguredServer.Text(next)).IsEqualTo("0");
        await Assert.That(next.Content.OfType<ImageContentBlock>().Any()).IsFalse();
        await Assert.That(next.StructuredContent).IsNotNull().Because("a text-only result keeps its structured form");
    }

    [Test]
    public async Task EveryOpenFigure_InNumberOrder_ButNotOneTheCodeClosed()
    {
        var server = await StartAsync();

        var result = await RunAsync(server,
            "figure('position', [0 0 400 300]); plot(1:3); g = figure; bar([3 1 2]); close(g); figure('position', [0 0 800 300]); stairs(1:4);");

        var sizes = result.Content.OfType<ImageContentBlock>().Select(PngSize).ToList();
        // 400x300 and 800x300 at 120/96: 1000 px wide is still within output.figure_max_width (1024).
        await Assert.That(sizes).IsEquivalentTo(new[] { (500, 375), (1000, 375) }, CollectionOrdering.Matching);
        await Assert.That(ConfiguredServer.Text(result)).Contains("Figure 2: figures/fig-");
    }

    [Test]
    public async Task Svg_AddsALinkToTheSvgFile_None_LeavesTheFigureOpenForALaterCall()
    {
        var server = await StartAsync();

        var svg = await RunAsync(server, "plot(1:3);", "svg");
        var link = await Assert.That(svg.Content.OfType<ResourceLinkBlock>().ToList()).HasSingleItem();
        await Assert.That(link!.Uri).Matches(@"^session://main/figures/fig-[0-9a-f]{12}-1\.svg$");
        await Assert.That(link.MimeType).IsEqualTo("image/svg+xml");
        var file = Directory.EnumerateFiles(_workRoot, Path.GetFileName(link.Uri), SearchOption.AllDirectories).Single();
        await Assert.That(File.ReadAllText(file)).Contains("<svg");
        await Assert.That(svg.Content.OfType<ImageContentBlock>().Count()).IsEqualTo(1).Because("the model still sees the PNG");

        var none = await RunAsync(server, "plot(1:3); hold on;", "none");
        await Assert.That(none.Content.Count).IsEqualTo(1);
        var later = await RunAsync(server, "plot(3:-1:1); disp(numel(get(gca, 'children')))");
        await Assert.That(ConfiguredServer.Text(later)).StartsWith("2"); // both lines on the one figure, then exported
        await Assert.That(later.Content.OfType<ImageContentBlock>().Count()).IsEqualTo(1);
    }

    [Test]
    public async Task Plotly_EmbedsTheFiguresOwnData_BesideThePng_AndSavesIt()
    {
        var server = await StartAsync();

        var result = await RunAsync(server, "plot([1 2 3 4 5], [1 4 9 16 25], 'r--o'); title('squares');", "plotly");

        await Assert.That(result.Content.OfType<ImageContentBlock>().Count()).IsEqualTo(1).Because("the model still sees the PNG");
        var embedded = await Assert.That(result.Content.OfType<EmbeddedResourceBlock>().ToList()).HasSingleItem();
        var resource = (TextResourceContents)embedded!.Resource;
        await Assert.That(resource.MimeType).IsEqualTo("application/vnd.plotly.v1+json");
        await Assert.That(resource.Uri).Matches(@"^session://main/figures/fig-[0-9a-f]{12}-1\.plotly\.json$");
        using var figure = System.Text.Json.JsonDocument.Parse(resource.Text);
        var trace = figure.RootElement.GetProperty("data")[0];
        await Assert.That(trace.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()).ToList())
            .IsEquivalentTo(new[] { 1.0, 2, 3, 4, 5 }, CollectionOrdering.Matching);
        await Assert.That(trace.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()).ToList())
            .IsEquivalentTo(new[] { 1.0, 4, 9, 16, 25 }, CollectionOrdering.Matching);
        await Assert.That(trace.GetProperty("mode").GetString()).IsEqualTo("lines+markers");
        var saved = Directory.EnumerateFiles(_workRoot, Path.GetFileName(resource.Uri), SearchOption.AllDirectories).Single();
        await Assert.That(File.ReadAllText(saved)).IsEqualTo(resource.Text);
        await Assert.That(ConfiguredServer.Text(result)).Contains(".plotly.json");
    }

    [Test]
    public async Task Plotly_PastTheTextBudget_IsLinkedNotEmbedded_AndPlotlyMaxPointsCutsTheData()
    {
        var server = await StartAsync(("output__max_output_chars", "1000"), ("output__plotly_max_points", "200"));

        var result = await RunAsync(server, "plot(1:5000, sin((1:5000) / 100));", "plotly");

        await Assert.That(result.Content.OfType<EmbeddedResourceBlock>().Any()).IsFalse();
        var link = await Assert.That(result.Content.OfType<ResourceLinkBlock>()
            .Where(l => l.MimeType == "application/vnd.plotly.v1+json").ToList()).HasSingleItem();
        await Assert.That(ConfiguredServer.Text(result)).Contains("is larger than output.max_output_chars, so it is linked");
        var saved = Directory.EnumerateFiles(_workRoot, link!.Name, SearchOption.AllDirectories).Single();
        using var figure = System.Text.Json.JsonDocument.Parse(File.ReadAllText(saved));
        var x = figure.RootElement.GetProperty("data")[0].GetProperty("x");
        await Assert.That(x.GetArrayLength() <= 200).IsTrue().Because($"{x.GetArrayLength()} points kept of 5000 (output.plotly_max_points 200)");
        await Assert.That(figure.RootElement.GetProperty("layout").GetProperty("meta").GetProperty("truncated").GetBoolean()).IsTrue();
    }

    [Test]
    public async Task AnUnknownFormat_IsRefused_SayingWhatIsAccepted_AndNothingRuns()
    {
        var server = await StartAsync();

        var result = await RunAsync(server, "x_was_set = 1", "jpeg");

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(ConfiguredServer.Text(result)).Contains("figure_format must be \"png\", \"svg\", \"plotly\" or \"none\"");
        await Assert.That(ConfiguredServer.Text(await RunAsync(server, "disp(exist('x_was_set'))"))).IsEqualTo("0");
    }

    [Test]
    public async Task AFailingCall_AndAnInterruptedOne_StillReturnTheirFigures_AndLeaveNoneOpen()
    {
        var server = await StartAsync();

        var failed = await RunAsync(server, "plot(1:3); error('mine:boom', 'boom')");
        await Assert.That(failed.IsError).IsTrue();
        await Assert.That(ConfiguredServer.Text(failed)).Contains("boom");
        await Assert.That(failed.Content.OfType<ImageContentBlock>().Count()).IsEqualTo(1);

        var stopped = await RunAsync(server, "plot(1:3); drawnow; pause(60)", timeout: 3);
        await Assert.That(ConfiguredServer.Text(stopped)).Contains("time limit");
        await Assert.That(stopped.Content.OfType<ImageContentBlock>().Count()).IsEqualTo(1);
        await Assert.That(ConfiguredServer.Text(await RunAsync(server, "disp(numel(get(0, 'children')))"))).IsEqualTo("0");
    }

    [Test]
    public async Task ConfigKeys_SetTheDefaultFormat_TheSize_AndHowManyFiguresAreExported()
    {
        var server = await StartAsync(("output__figure_format", "none"), ("output__figure_dpi", "60"),
            ("output__figure_max_width", "300"), ("output__max_figures", "2"));

        var none = await RunAsync(server, "plot(1:3);");
        await Assert.That(none.Content.Count).IsEqualTo(1).Because("output.figure_format none: nothing exported");

        var result = await RunAsync(server, "close all; figure('position', [0 0 400 300]); plot(1:3); figure; plot(1:2); figure; plot(1:4);", "png");
        var sizes = result.Content.OfType<ImageContentBlock>().Select(PngSize).ToList();
        // 400 px at 60/96 = 250 (under the 300 px cap); 560 px at 60/96 = 350, narrowed to 300 (aspect kept).
        await Assert.That(sizes).IsEquivalentTo(new[] { (250, 188), (300, 225) }, CollectionOrdering.Matching);
        await Assert.That(ConfiguredServer.Text(result)).Contains("1 more figures were closed without being exported (output.max_figures)");
        await Assert.That(ConfiguredServer.Text(await RunAsync(server, "disp(numel(get(0, 'children')))"))).IsEqualTo("0");
    }
}
