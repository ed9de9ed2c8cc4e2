using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MatlabMcp.Endpoints.Apps;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Browser;

/// <summary>How the served page is built from wwwroot/: the vendored plotly.js inlined, nothing else read, nothing fetched.</summary>
public sealed partial class FigureViewerPageTests
{
    private static string Plotly => File.ReadAllText(Path.Combine(HeadlessBrowser.WebRoot, "vendor", "plotly.min.js"));

    [Test]
    public async Task VendoredPlotly_IsTheFileRecordedInTheVendorReadme()
    {
        var path = Path.Combine(HeadlessBrowser.WebRoot, "vendor", "plotly.min.js");
        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));
        var readme = await File.ReadAllTextAsync(Path.Combine(HeadlessBrowser.WebRoot, "vendor", "README.md"));

        await Assert.That(readme).Contains($"| plotly.min.js | plotly.js-dist-min (npm) | 4.1.2 | {sha} |");
        await Assert.That(File.Exists(Path.Combine(HeadlessBrowser.WebRoot, "vendor", "plotly.LICENSE"))).IsTrue();
    }

    [Test]
    public async Task Build_InlinesPlotly_AndTheRestOfThePageNamesNoUrl()
    {
        var page = FigureViewerPage.Build(HeadlessBrowser.WebRoot);

        // Booleans, not string assertions: a failure would print 4.8 MB of page.
        var plotly = Plotly;
        await Assert.That(page.Contains("<script>" + plotly + "</script>", StringComparison.Ordinal)).IsTrue();
        var ours = page.Replace(plotly, "", StringComparison.Ordinal);
        await Assert.That(ours).DoesNotContain("data-inline");
        await Assert.That(ours).DoesNotContain("<script src");
        await Assert.That(Url().Matches(ours).Select(m => m.Value)).IsEmpty();
    }

    [Test]
    public async Task Build_FromTheOutputFolder_IsTheSamePage()
    {
        // The server reads wwwroot/ next to its binary: the build must copy it there unchanged.
        var same = FigureViewerPage.Build(FigureViewerPage.DefaultWebRoot) == FigureViewerPage.Build(HeadlessBrowser.WebRoot);
        await Assert.That(same).IsTrue();
    }

    [Test]
    [Arguments("../secret.js")]
    [Arguments("vendor/../../secret.js")]
    [Arguments("/etc/passwd")]
    [Arguments("vendor\\..\\x.js")]
    [Arguments("figure-viewer.html")]
    public async Task Build_RefusesAnInlineNameOutsideVendor(string name)
    {
        using var root = WebRoot("<html><script data-inline=\"" + name + "\"></script></html>");

        var error = await Assert.That(() => FigureViewerPage.Build(root.Path)).Throws<InvalidDataException>();
        await Assert.That(error!.Message).Contains("must name a file under vendor/");
    }

    [Test]
    [Arguments("var s = '</script><img src=x>';")]
    [Arguments("var s = '<SCRIPT>';")]
    public async Task Build_RefusesAVendoredFileThatWouldBreakOutOfItsScriptElement(string script)
    {
        using var root = WebRoot("<html><script data-inline=\"vendor/a.js\"></script></html>", ("a.js", script));

        var error = await Assert.That(() => FigureViewerPage.Build(root.Path)).Throws<InvalidDataException>();
        await Assert.That(error!.Message).Contains("cannot be inlined");
    }

    [Test]
    public async Task Build_NamesAMissingVendoredFile()
    {
        using var root = WebRoot("<html><script data-inline=\"vendor/absent.js\"></script></html>");

        var error = await Assert.That(() => FigureViewerPage.Build(root.Path)).Throws<FileNotFoundException>();
        await Assert.That(error!.Message).Contains(Path.Combine(root.Path, "vendor", "absent.js"));
    }

    [Test]
    public async Task Build_RefusesAnUnterminatedInlineScript()
    {
        using var root = WebRoot("<html><script data-inline=\"vendor/a.js\"", ("a.js", "1"));

        await Assert.That(() => FigureViewerPage.Build(root.Path)).Throws<InvalidDataException>();
    }

    [GeneratedRegex(@"\bhttps?://", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    private static TempWebRoot WebRoot(string page, params (string Name, string Text)[] vendored)
    {
        var root = new TempWebRoot(Directory.CreateTempSubdirectory("viewer-page-").FullName);
        File.WriteAllText(Path.Combine(root.Path, FigureViewerPage.FileName), page);
        Directory.CreateDirectory(Path.Combine(root.Path, "vendor"));
        foreach (var (name, text) in vendored)
            File.WriteAllText(Path.Combine(root.Path, "vendor", name), text);
        return root;
    }

    private sealed record TempWebRoot(string Path) : IDisposable
    {
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
