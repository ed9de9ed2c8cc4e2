using MatlabMcp.Output;
using MatlabMcp.Tests.Support;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Tests.Variables;

/// <summary>Reading a variable changes nothing: no variable assigned, no ans created, an existing ans kept.</summary>
public sealed class VariableWorkspaceTests
{
    [Test]
    public async Task GetVariable_LeavesTheWorkspaceAsItWas()
    {
        await using var engine = new EngineHarness();
        // clear ans: the engine's start leaves one (mcp_session_roots' answer); get_variable must make none.
        await engine.RunAsync("x = 1:5; s = struct('a', {{1, 'b'}}); m = containers.Map({'k'}, {2}); clear ans");
        var tools = new MatlabMcp.Endpoints.WorkspaceTools(engine.Sessions, engine.Results, Options.Create(engine.Config.Output));
        var before = await Listing(engine);

        foreach (var name in new[] { "x", "s", "m", "nothere", "disp" })
            await tools.ReadVariableAsync("local", null, name, null, TimeSpan.Zero, CancellationToken.None);

        await Assert.That(await Listing(engine)).IsEqualTo(before);
        await Assert.That(before).DoesNotContain("ans");
    }

    [Test]
    public async Task GetVariable_KeepsAnExistingAns()
    {
        await using var engine = new EngineHarness();
        await engine.RunAsync("x = 2; 'kept';");
        var tools = new MatlabMcp.Endpoints.WorkspaceTools(engine.Sessions, engine.Results, Options.Create(engine.Config.Output));

        await tools.ReadVariableAsync("local", null, "x", null, TimeSpan.Zero, CancellationToken.None);
        await tools.ReadVariableAsync("local", null, "missing", null, TimeSpan.Zero, CancellationToken.None);

        var ans = await tools.ReadVariableAsync("local", null, "ans", null, TimeSpan.Zero, CancellationToken.None);
        await Assert.That(ans.StructuredContent!.Value.GetProperty("value").GetString()).IsEqualTo("kept");
    }

    [Test]
    public async Task AVariableNamedWho_RefusesRatherThanTrustTheListing()
    {
        // Displayed instead of the listing, "who = leave_marker" would read as the names who, = and leave_marker.
        await using var engine = new EngineHarness();
        var folder = (await engine.SessionAsync()).Folder;
        File.WriteAllText(Path.Combine(folder, "leave_marker.m"),
            "function y = leave_marker()\n  fid = fopen('marker.txt', 'w'); fclose(fid); y = 1;\nend\n");
        await engine.RunAsync("who = 'leave_marker'; x = 1;");
        var tools = new MatlabMcp.Endpoints.WorkspaceTools(engine.Sessions, engine.Results, Options.Create(engine.Config.Output));

        var result = await tools.ReadVariableAsync("local", null, "leave_marker", null, TimeSpan.Zero, CancellationToken.None);

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(string.Concat(result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(b => b.Text)))
            .Contains("named \"who\" hides the listing");
        await Assert.That(File.Exists(Path.Combine(folder, "marker.txt"))).IsFalse();
        await engine.RunAsync("leave_marker();"); // the control: the function was there to be called
        await Assert.That(File.Exists(Path.Combine(folder, "marker.txt"))).IsTrue();
    }

    /// <summary>The workspace's names and classes, as the engine lists them.</summary>
    private static async Task<string> Listing(EngineHarness engine)
    {
        var outcome = await engine.RunAsync("mcp_listing__ = whos(); disp(strjoin(cellfun(@(n, c) [n ':' c], {mcp_listing__.name}, {mcp_listing__.class}, 'UniformOutput', false), ' ')); clear mcp_listing__");
        if (outcome.Status != JobState.Completed)
            throw new InvalidOperationException($"{outcome.Status} {outcome.Error?.Message}");
        return outcome.Output.Trim();
    }
}
