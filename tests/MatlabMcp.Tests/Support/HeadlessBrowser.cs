using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MatlabMcp.Endpoints.Apps;
using Microsoft.Playwright;

namespace MatlabMcp.Tests.Support;

/// <summary>What a page did in the browser: errors, requests that tried to leave the page, and what was drawn.</summary>
/// <param name="Errors">console.error messages and uncaught exceptions, in order.</param>
/// <param name="ExternalRequests">Every request for anything but the test's own pages (all were blocked).</param>
/// <param name="Traces">Visible Plotly traces drawn (over every plot; plotly hides a trace it cannot draw).</param>
/// <param name="Plots">Plotly plots on the page.</param>
/// <param name="Images">Images drawn (the viewer's PNG fallback).</param>
/// <param name="HasSvg">Whether an SVG plot surface exists (2-D plots).</param>
/// <param name="HasCanvas">Whether a WebGL canvas exists (3-D plots).</param>
/// <param name="Status">The viewer's status line (empty for a bare Plotly page).</param>
/// <param name="Hint">The viewer's hint under PNG images (empty when there is none).</param>
/// <param name="State">The viewer's body data-state: rendered, empty, failed, …</param>
/// <param name="HostLog">Messages the viewer sent its host (methods; "result:N" for responses).</param>
public sealed record BrowserRun(IReadOnlyList<string> Errors, IReadOnlyList<string> ExternalRequests, string ScreenshotPath,
    int Traces, int Plots, int Images, bool HasSvg, bool HasCanvas, string Status, string Hint, string State, IReadOnlyList<string> HostLog);

/// <summary>
/// The Debian chromium driven by Playwright (never a downloaded browser), shared by the whole test session. It loads pages
/// from an invented origin served by a route, under the CSP an MCP Apps host applies by default (inline script, data:
/// images, no network), and blocks and records any other request. Use from any test class:
/// <c>[ClassDataSource&lt;HeadlessBrowser&gt;(Shared = SharedType.PerTestSession)]</c>, then <see cref="RenderPlotlyAsync"/> or
/// <see cref="RenderViewerAsync"/>. Screenshots are kept under the test output's artifacts/browser/.
/// </summary>
public sealed class HeadlessBrowser : IAsyncInitializer, IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private const string Origin = "http://matlab-mcp.test";

    /// <summary>The MCP Apps spec's default CSP for a view that declares no csp (2026-01-26), plus object-src 'none'.</summary>
    public const string HostCsp = "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
                                  "img-src 'self' data:; media-src 'self' data:; connect-src 'none'; object-src 'none'";

    // A page carries 4.8 MB of plotly.js: on a loaded 2-core machine parsing it alone can take seconds.
    private static readonly TimeSpan DrawTimeout = TimeSpan.FromSeconds(int.TryParse(
        Environment.GetEnvironmentVariable("BROWSER_TEST_TIMEOUT"), out var seconds) ? seconds : 120);

    // Pages at a time: more only queue inside Chromium on two cores, and time out there instead of here.
    private readonly SemaphoreSlim _pages = new(2, 2);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string ArtifactsDirectory { get; } =
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts", "browser")).FullName;

    public static string WebRoot => Path.Combine(Repo.Root, "wwwroot");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/install.sh --browser (test.sh does).");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root cannot use Chromium's sandbox; WebGL (3-D plots) runs on SwiftShader, there is no GPU.
            Args = [.. Environment.UserName == "root" ? ["--no-sandbox"] : Array.Empty<string>(),
                "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.CloseAsync();
        _playwright?.Dispose();
        _pages.Dispose();
    }

    /// <summary>An artifact path for a screenshot named after the test and a label.</summary>
    public static string Screenshot(string name) => Path.Combine(ArtifactsDirectory, name + ".png");

    /// <summary>
    /// Draws one Plotly figure (<c>{"data":[…],"layout":{…}}</c>, as in an application/vnd.plotly.v1+json resource) with the
    /// vendored plotly.js, under the host CSP (unless <paramref name="hostCsp"/> is false), and reports what was drawn.
    /// Does not assert: the caller decides. A WebGL trace plotly could not draw counts as an error.
    /// </summary>
    public async Task<BrowserRun> RenderPlotlyAsync(string plotlyJson, string screenshotPath, bool hostCsp = true)
    {
        var page = $$"""
            <!DOCTYPE html><html><head><meta charset="utf-8"><script src="/vendor/plotly.min.js"></script></head>
            <body style="margin:0"><div id="plot" style="width:800px;height:500px"></div>
            <script type="application/json" id="figure">{{ScriptSafe(plotlyJson)}}</script>
            <script>
              const failed = e => { console.error("plotly failed: " + (e && e.message || e)); document.body.dataset.state = "failed"; };
              try {
                const figure = JSON.parse(document.getElementById("figure").textContent);
                Plotly.newPlot("plot", figure.data || [], figure.layout || {}, { displaylogo: false })
                  .then(() => document.body.dataset.state = "rendered", failed);
              } catch (e) { failed(e); }
            </script></body></html>
            """;
        return await RunAsync(new() { ["/plot"] = page }, "/plot", screenshotPath, host: false, hostCsp);
    }

    /// <summary>
    /// Loads the figure viewer as an MCP Apps host does: the served page (template plus inlined plotly.js) in a sandboxed
    /// iframe under the host CSP; answers its ui/initialize, then sends ui/notifications/tool-input and
    /// ui/notifications/tool-result with <paramref name="toolResult"/> (a CallToolResult as JSON) and waits until it has drawn.
    /// <paramref name="viewerHtml"/> defaults to the page built from wwwroot/; pass what resources/read returned to test that.
    /// </summary>
    public Task<BrowserRun> RenderViewerAsync(string toolResult, string screenshotPath, string? viewerHtml = null) =>
        RenderViewerAsync([toolResult], screenshotPath, viewerHtml);

    /// <summary>As above, posting several tool results back to back (the view must end showing the last one only).</summary>
    public async Task<BrowserRun> RenderViewerAsync(IReadOnlyList<string> toolResults, string screenshotPath, string? viewerHtml = null)
    {
        viewerHtml ??= FigureViewerPage.Build(WebRoot);
        var results = "[" + string.Join(",", toolResults) + "]";
        var host = $$"""
            <!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
            <iframe id="view" sandbox="allow-scripts" src="/view" style="width:900px;height:300px;border:0"></iframe>
            <script type="application/json" id="results">{{ScriptSafe(results)}}</script>
            <script>
              const frame = document.getElementById("view");
              const results = JSON.parse(document.getElementById("results").textContent);
              const post = m => frame.contentWindow.postMessage(Object.assign({ jsonrpc: "2.0" }, m), "*");
              window.hostLog = [];
              window.addEventListener("message", e => {
                if (e.source !== frame.contentWindow) return;
                const m = e.data;
                hostLog.push(m.method || "result:" + m.id);
                if (m.method === "ui/initialize")
                  post({ id: m.id, result: { protocolVersion: "2026-01-26", hostInfo: { name: "test-host", version: "1" },
                    hostCapabilities: {}, hostContext: { theme: "light", displayMode: "inline", containerDimensions: { maxHeight: 6000 } } } });
                else if (m.method === "ui/notifications/initialized") {
                  post({ method: "ui/notifications/tool-input", params: { arguments: { code: "plot(1:3)" } } });
                  for (const result of results) post({ method: "ui/notifications/tool-result", params: result });
                } else if (m.method === "ui/notifications/size-changed" && m.params.height)
                  frame.style.height = m.params.height + "px";
              });
            </script></body></html>
            """;
        return await RunAsync(new() { ["/host"] = host, ["/view"] = viewerHtml }, "/host", screenshotPath, host: true, csp: true);
    }

    private async Task<BrowserRun> RunAsync(Dictionary<string, string> pages, string start, string screenshotPath, bool host, bool csp)
    {
        var browser = _browser ?? throw new InvalidOperationException("HeadlessBrowser was not initialized.");
        await _pages.WaitAsync();
        try
        {
            return await RunPageAsync(browser, pages, start, screenshotPath, host, csp);
        }
        finally
        {
            _pages.Release();
        }
    }

    private static async Task<BrowserRun> RunPageAsync(IBrowser browser, Dictionary<string, string> pages, string start,
        string screenshotPath, bool host, bool csp)
    {
        await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1000, Height = 800 } });
        var errors = new List<string>();
        var external = new List<string>();
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            var ours = url.GetLeftPart(UriPartial.Authority) == Origin;
            if (ours && url.AbsolutePath == "/vendor/plotly.min.js")
                await route.FulfillAsync(new()
                {
                    Status = 200,
                    ContentType = "text/javascript; charset=utf-8",
                    Path = Path.Combine(WebRoot, "vendor", "plotly.min.js"),
                });
            else if (ours && pages.TryGetValue(url.AbsolutePath, out var body))
                await route.FulfillAsync(new()
                {
                    Status = 200,
                    ContentType = "text/html; charset=utf-8",
                    BodyBytes = Encoding.UTF8.GetBytes(body),
                    // The host page is ours (it frames the view); what it frames, or a bare plot page, gets the view's CSP.
                    Headers = url.AbsolutePath == "/host" || !csp ? [] : new Dictionary<string, string> { ["Content-Security-Policy"] = HostCsp },
                });
            else
            {
                lock (external)
                    external.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });
        context.SetDefaultTimeout((float)DrawTimeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)DrawTimeout.TotalMilliseconds);
        var page = await context.NewPageAsync();
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add(message.Text); };
        page.PageError += (_, error) => { lock (errors) errors.Add(error); };
        await page.GotoAsync(Origin + start);

        var frame = host ? await ViewFrameAsync(page) : page.MainFrame;
        try
        {
            await frame.WaitForFunctionAsync("() => !['waiting', 'drawing', undefined].includes(document.body.dataset.state)");
        }
        catch (TimeoutException e)
        {
            // Say what the page did before it stalled, not only that it did.
            var log = host ? await page.EvaluateAsync<string[]>("() => window.hostLog") : [];
            var state = await frame.EvaluateAsync<string?>("() => document.body && document.body.dataset.state");
            lock (errors)
                lock (external)
                    throw new TimeoutException($"{e.Message} Frame {frame.Url}, state '{state}'; errors: [{string.Join(" | ", errors)}]; " +
                                               $"blocked requests: [{string.Join(", ", external)}]; host log: [{string.Join(", ", log)}]", e);
        }
        var stats = await frame.EvaluateAsync<JsonElement>("""
            () => {
              const plots = [...document.querySelectorAll(".js-plotly-plot")];
              return {
                traces: plots.reduce((n, p) => n + (p._fullData || []).filter(t => t.visible !== false).length, 0),
                plots: plots.length,
                images: document.querySelectorAll("figure img").length,
                svg: plots.some(p => p.querySelector("svg.main-svg .trace, svg.main-svg .hm")),
                canvas: plots.some(p => p.querySelector("canvas")),
                noWebGl: plots.some(p => p.querySelector(".no-webgl")),
                status: (document.getElementById("status") || {}).textContent || "",
                hint: (document.querySelector(".hint") || {}).textContent || "",
                state: document.body.dataset.state || "",
              };
            }
            """);
        if (host)
        {
            // The host sizes the frame only from the view's size-changed notifications: once the frame is as tall as the
            // view's content, the view reported its final size (and the screenshot shows every figure).
            var height = await frame.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
            await page.WaitForFunctionAsync("h => document.getElementById('view').clientHeight >= h", height);
        }
        var hostLog = host ? await page.EvaluateAsync<string[]>("() => window.hostLog") : [];
        await page.ScreenshotAsync(new() { Path = screenshotPath, FullPage = true });
        // plotly draws a WebGL trace it cannot run (no context, or code the CSP refuses) as a notice, logging nothing.
        if (stats.GetProperty("noWebGl").GetBoolean())
            lock (errors)
                errors.Add("plotly could not draw a WebGL trace: it shows its 'WebGL is not supported' notice instead");
        lock (errors)
            lock (external)
                return new BrowserRun([.. errors], [.. external], screenshotPath,
                    stats.GetProperty("traces").GetInt32(), stats.GetProperty("plots").GetInt32(), stats.GetProperty("images").GetInt32(),
                    stats.GetProperty("svg").GetBoolean(), stats.GetProperty("canvas").GetBoolean(),
                    stats.GetProperty("status").GetString()!, stats.GetProperty("hint").GetString()!, stats.GetProperty("state").GetString()!, hostLog);
    }

    /// <summary>The viewer's iframe, once it has loaded.</summary>
    private static async Task<IFrame> ViewFrameAsync(IPage page)
    {
        var handle = await page.WaitForSelectorAsync("#view");
        return await handle!.ContentFrameAsync() ?? throw new InvalidOperationException("the viewer iframe has no frame");
    }

    /// <summary>JSON inside a script element: "&lt;/" would end the element, and JSON allows "\/" for "/".</summary>
    private static string ScriptSafe(string json) => json.Replace("</", "<\\/", StringComparison.Ordinal);

    /// <summary>A CallToolResult with the given content blocks, as JSON (what a host posts in tool-result).</summary>
    public static string ToolResult(params JsonObject[] content) =>
        new JsonObject { ["content"] = new JsonArray([.. content]), ["isError"] = false }.ToJsonString();

    /// <summary>An embedded Plotly figure, as execute_code returns it with figure_format "plotly".</summary>
    public static JsonObject PlotlyBlock(string name, string plotlyJson) => new()
    {
        ["type"] = "resource",
        ["resource"] = new JsonObject
        {
            ["uri"] = $"session://main/figures/{name}.plotly.json",
            ["mimeType"] = "application/vnd.plotly.v1+json",
            ["text"] = plotlyJson,
        },
    };

    public static JsonObject ImageBlock(byte[] png) =>
        new() { ["type"] = "image", ["mimeType"] = "image/png", ["data"] = Convert.ToBase64String(png) };

    public static JsonObject TextBlock(string text) => new() { ["type"] = "text", ["text"] = text };
}
