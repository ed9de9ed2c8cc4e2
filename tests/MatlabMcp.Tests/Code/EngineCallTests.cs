using System.Text.Json;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Code;

/// <summary>
/// Issue 14's core: a function called through the bridge's 'call' op with arguments as data, in a real Octave. Values are
/// decoded in the engine one by one and converted to their declared types; no value is ever read as code.
/// </summary>
public sealed class EngineCallTests
{
    private static EngineArgument Arg(string json, string type = "") => new(JsonDocument.Parse(json).RootElement.Clone(), type);

    [Test]
    public async Task TypedArguments_ArriveAsTheirClasses_AndOutputsReturnAsJson()
    {
        await using var engines = new EngineHarness();
        var outcome = await engines.CallAsync(new EngineCall("cellfun",
            [Arg("\"class\""), Arg("[{\"a\":1,\"b\":{\"c\":[1,2]}}, true, 2.5, [1,2,3], [[1,2],[3,4]], 7, \"hi\", [\"x\",\"y\"], [1,\"two\"]]", "cell"), Arg("\"UniformOutput\""),
             Arg("false", "logical")], Outputs: 1));
        await Assert.That(outcome.Status).IsEqualTo(JobState.Completed).Because(outcome.Error?.Message ?? "");
        var classes = outcome.Value!.Value[0].EnumerateArray().Select(e => e.GetString()!).ToList();
        await Assert.That(classes).IsEquivalentTo(new[] { "struct", "logical", "double", "double", "double", "double", "char", "cell", "cell" },
            CollectionOrdering.Matching);

        // Each declared type, checked by the engine's own class() and size().
        var typed = await engines.CallAsync(new EngineCall("deal",
            [Arg("{\"a\":1,\"b\":{\"c\":[1,2]}}", "struct"), Arg("true", "logical"), Arg("[1,2,3]", "double[]"),
             Arg("[[1,2],[3,4]]", "double[][]"), Arg("[\"x\",\"y\"]", "string[]"), Arg("\"hi\"", "string"), Arg("3", "int")],
            Outputs: 7));
        await Assert.That(typed.Status).IsEqualTo(JobState.Completed).Because(typed.Error?.Message ?? "");
        var values = typed.Value!.Value;
        await Assert.That(values.GetArrayLength()).IsEqualTo(7);
        await Assert.That(values[0].GetProperty("b").GetProperty("c")[1].GetDouble()).IsEqualTo(2);
        await Assert.That(values[1].GetBoolean()).IsTrue();
        await Assert.That(values[3][1][0].GetDouble()).IsEqualTo(3).Because("a matrix comes back as rows");
        await Assert.That(values[4][1].GetString()).IsEqualTo("y");

        var check = await engines.CallAsync(new EngineCall("mcp_call_probe", [Arg("{\"q\":1}", "struct"), Arg("false", "logical"),
            Arg("[4,5]", "double[]"), Arg("[\"p\"]", "string[]")], Outputs: 1));
        await Assert.That(check.Status).IsEqualTo(JobState.Failed).Because("no such function: the call fails with the engine's error");
        await Assert.That(check.Error!.Message).Contains("mcp_call_probe");
    }

    [Test]
    public async Task AStringThatLooksLikeCode_StaysData()
    {
        await using var engines = new EngineHarness();
        var session = await engines.SessionAsync();
        const string attack = "'); system('touch pwned'); %";
        var outcome = await engines.CallAsync(new EngineCall("numel", [Arg(JsonSerializer.Serialize(attack), "string")], Outputs: 1));
        await Assert.That(outcome.Status).IsEqualTo(JobState.Completed);
        await Assert.That(outcome.Value!.Value[0].GetDouble()).IsEqualTo(attack.Length).Because("the string arrived whole, as text");
        await Assert.That(File.Exists(Path.Combine(session.Folder, "pwned"))).IsFalse();

        var echoed = await engines.CallAsync(new EngineCall("upper", [Arg(JsonSerializer.Serialize(attack))], Outputs: 1));
        await Assert.That(echoed.Value!.Value[0].GetString()).IsEqualTo(attack.ToUpperInvariant());
    }

    [Test]
    public async Task PrintedOutput_NargoutFromTheFunction_AndOutputsJsonCannotEncode()
    {
        await using var engines = new EngineHarness();
        var session = await engines.SessionAsync();
        await File.WriteAllTextAsync(Path.Combine(session.Folder, "two_outputs.m"),
            "function [s, h] = two_outputs(x)\n  printf('got %d\\n', x);\n  s = x * 2;\n  h = @sin;\nend\n");
        await File.WriteAllTextAsync(Path.Combine(session.Folder, "no_outputs.m"), "function no_outputs(x)\n  disp(x);\nend\n");

        var outcome = await engines.CallAsync(new EngineCall("two_outputs", [Arg("21")]));
        await Assert.That(outcome.Status).IsEqualTo(JobState.Completed).Because(outcome.Error?.Message ?? "");
        await Assert.That(outcome.Output).IsEqualTo("got 21\n").Because("what the function prints is the call's output");
        await Assert.That(outcome.Value!.Value.GetArrayLength()).IsEqualTo(2).Because("nargout(two_outputs) is 2");
        await Assert.That(outcome.Value.Value[0].GetDouble()).IsEqualTo(42);
        await Assert.That(outcome.Value.Value[1].GetString()).Contains("function_handle").Because("a handle is named, not lost");

        var none = await engines.CallAsync(new EngineCall("no_outputs", [Arg("\"printed\"")]));
        await Assert.That(none.Status).IsEqualTo(JobState.Completed).Because(none.Error?.Message ?? "");
        await Assert.That(none.Output).IsEqualTo("printed\n");
        await Assert.That(none.Value!.Value.GetArrayLength()).IsEqualTo(0);

        // The workspace is untouched by a call: its values live in the function's own.
        var workspace = await engines.RunAsync("disp(exist('x') + exist('s'))");
        await Assert.That(workspace.Output.Trim()).IsEqualTo("0");
    }

    [Test]
    public async Task AddPath_PutsAFolderOnTheSessionsPath_ForLaterCallsToo()
    {
        await using var engines = new EngineHarness();
        var session = await engines.SessionAsync();
        Directory.CreateDirectory(Path.Combine(session.Folder, "lib"));
        await File.WriteAllTextAsync(Path.Combine(session.Folder, "lib", "triple_it.m"), "function y = triple_it(x)\n  y = 3 * x;\nend\n");
        var before = await engines.RunAsync("exist('triple_it')");
        await Assert.That(before.Output).Contains("0");

        var folders = engines.Sessions.FoldersOf(CallerIdentity.Local, null);
        var outcome = await engines.CallAsync(new EngineCall("triple_it", [Arg("5")]), addPath: folders.Engine + "/lib");
        await Assert.That(outcome.Value!.Value[0].GetDouble()).IsEqualTo(15).Because(outcome.Error?.Message ?? "");
        var later = await engines.RunAsync("disp(triple_it(2))");
        await Assert.That(later.Output.Trim()).IsEqualTo("6");
    }

    [Test]
    public async Task ACallStoppedByItsTimeLimit_KeepsTheSession()
    {
        await using var engines = new EngineHarness();
        await engines.RunAsync("kept = 11;");
        var (job, _) = engines.Jobs.Start(CallerIdentity.Local, null, "pause(30)", 1,
            options: new RunOptions(Call: new EngineCall("pause", [Arg("30")], Outputs: 0)));
        var outcome = await job!.Completion;
        await Assert.That(outcome.Status).IsEqualTo(JobState.TimedOut);
        await Assert.That(outcome.WorkspaceKept).IsTrue();
        var after = await engines.RunAsync("disp(kept)");
        await Assert.That(after.Output.Trim()).IsEqualTo("11");
    }
}
