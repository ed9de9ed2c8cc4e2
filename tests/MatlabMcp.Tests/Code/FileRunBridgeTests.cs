using System.Text.Json;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Code;

/// <summary>
/// Issue 14: run_file's engine side (matlab/private/mcp_bridge_run*.m) in a real Octave. The server checks a file's text
/// with the code policy; the engine runs the file itself only while its text is still that one.
/// </summary>
public sealed class FileRunBridgeTests
{
    private static EngineArgument Text(string value) => new(JsonSerializer.SerializeToElement(value), "string");

    [Test]
    public async Task AScriptChangedAfterTheCheck_IsRefused_AndDoesNotRun()
    {
        await using var engines = new EngineHarness();
        var session = await engines.SessionAsync();
        await File.WriteAllTextAsync(Path.Combine(session.Folder, "swapped.m"), "swapped_marker = 1;\n");
        var engine = engines.Sessions.FoldersOf(CallerIdentity.Local, null).Engine + "/swapped.m";

        var changed = await engines.CallAsync(new EngineCall("mcp_bridge_run",
            [Text(engine), Text("harmless = 1;\n"), Text("swapped.m")], Outputs: 0));

        await Assert.That(changed.Status).IsEqualTo(JobState.Failed);
        await Assert.That(changed.Error!.Identifier).IsEqualTo("mcp:run_file:changed");
        await Assert.That(changed.Error.Message).Contains("swapped.m changed after the server read and checked it");
        var workspace = await engines.RunAsync("disp(exist('swapped_marker') + exist('harmless'))");
        await Assert.That(workspace.Output.Trim()).IsEqualTo("0");

        var same = await engines.CallAsync(new EngineCall("mcp_bridge_run",
            [Text(engine), Text("swapped_marker = 1;\n"), Text("swapped.m")], Outputs: 0));
        await Assert.That(same.Status).IsEqualTo(JobState.Completed).Because(same.Error?.Message ?? "");
        var ran = await engines.RunAsync("disp(swapped_marker)");
        await Assert.That(ran.Output.Trim()).IsEqualTo("1");
    }
}
