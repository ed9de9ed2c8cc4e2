using MatlabMcp.Tests.EndToEnd;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Output;

/// <summary>Issue 13: a result lists the session files its code created or changed, and only those, each linked as a session:// resource.</summary>
public sealed class ChangedFilesTests
{
    [Test]
    public async Task CreatedAndChangedFiles_AreListedAndLinked_UntouchedOnesAndFiguresAreNot()
    {
        await using var server = await ConfiguredServer.StartAsync();
        Task<CallToolResult> Run(string code) => server.CallAsync("execute_code", ("code", code));

        var first = await Run("x = magic(3); save('-mat', 'x.mat', 'x'); mkdir('out'); fid = fopen('out/notes.txt', 'w'); fprintf(fid, 'hello'); fclose(fid);");
        await Assert.That(StdioServerTests.Text(first)).Matches(@"Files created out/notes\.txt \(5 bytes\), x\.mat \([\d,]+ bytes\)\.$");
        var links = first.Content.OfType<ResourceLinkBlock>().Select(l => l.Uri).Order().ToList();
        await Assert.That(links).IsEquivalentTo(new[] { "session://main/out/notes.txt", "session://main/x.mat" }, CollectionOrdering.Matching);
        await Assert.That(first.StructuredContent!.Value.GetProperty("files_changed").GetArrayLength()).IsEqualTo(2)
            .Because("links travel beside structuredContent, which names the same files");

        var second = await Run("fid = fopen('out/notes.txt', 'a'); fprintf(fid, ' again'); fclose(fid); plot(1:3);");
        var text = StdioServerTests.Text(second);
        await Assert.That(text).Contains("Files changed out/notes.txt (11 bytes).");
        await Assert.That(text).DoesNotContain("x.mat").Because("untouched");
        await Assert.That(second.Content.OfType<ResourceLinkBlock>().Select(l => l.Uri).ToList())
            .IsEquivalentTo(new[] { "session://main/out/notes.txt" }).Because("the figure is reported as a figure, not as a file");

        var quiet = await Run("y = 2;");
        await Assert.That(StdioServerTests.Text(quiet)).DoesNotContain("Files");
        await Assert.That(quiet.StructuredContent).IsNotNull();
    }
}
