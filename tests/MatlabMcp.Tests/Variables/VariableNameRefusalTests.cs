using MatlabMcp.Output;
using MatlabMcp.Pool;

namespace MatlabMcp.Tests.Variables;

/// <summary>
/// The name is data: refused before it reaches the engine unless it is a bare identifier, refused again by the
/// bridge, and a name that is only a function's is never called.
/// </summary>
[ClassDataSource<VariableFixture>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(VariableNameRefusalTests))] // the cases take turns on the one engine
public sealed class VariableNameRefusalTests(VariableFixture fixture)
{
    public static IEnumerable<string> BadNames() =>
    [
        "x;system('id')", "a.b", "a(1)", "'x'", "", " x", "x ", "1x", "_x", "x-y", "x\ny", "x\u001b[2J", "x\0",
        "é", new string('a', 10_000), new string('a', 64), "end", "function",
        "leave_marker()", "evalin('base','leave_marker')",
    ];

    [Test]
    [MethodDataSource(nameof(BadNames))]
    public async Task BadName_RefusedBeforeTheEngine(string name)
    {
        await Assert.That(VariableNames.Problem(name)).IsNotNull();

        var result = await fixture.GetAsync(name);

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(result.StructuredContent).IsNull();
        var text = VariableFixture.Text(result);
        await Assert.That(text.Length < 400).IsTrue().Because("a refused name is quoted back short");
        await Assert.That(text).DoesNotContain("\u001b");
        await Assert.That(File.Exists(fixture.MarkerPath)).IsFalse();
    }

    [Test]
    public async Task GoodNames_Pass()
    {
        foreach (var name in new[] { "x", "X_1", "abc123", new string('a', 63) })
            await Assert.That(VariableNames.Problem(name)).IsNull().Because(name);
    }

    [Test]
    public async Task NullName_Refused()
    {
        var result = await fixture.GetAsync(null);

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(VariableFixture.Text(result)).Contains("get_workspace");
    }

    [Test]
    public async Task FunctionName_SaysNoVariable_AndNeverCallsIt()
    {
        foreach (var name in new[] { "leave_marker", "disp", "exit", "quit", "clc", "ans" })
        {
            var result = await fixture.GetAsync(name);

            await Assert.That(result.IsError).IsTrue().Because(name);
            await Assert.That(VariableFixture.Text(result)).IsEqualTo($"No variable named \"{name}\" in this session's workspace (get_workspace lists them).");
        }
        await Assert.That(File.Exists(fixture.MarkerPath)).IsFalse().Because("leave_marker must not have run");
        await Assert.That((await fixture.ReportAsync("dbl")).GetProperty("value").GetDouble()).IsEqualTo(2.5).Because("the engine is still there");
    }

    [Test]
    public async Task MissingVariable_SaysSo()
    {
        var result = await fixture.GetAsync("not_defined_here");

        await Assert.That(result.IsError).IsTrue();
        await Assert.That(VariableFixture.Text(result)).Contains("No variable named \"not_defined_here\"");
    }

    [Test]
    [Arguments("x;leave_marker()")]
    [Arguments("leave_marker()")]
    [Arguments("dbl+leave_marker")]
    [Arguments("")]
    public async Task Bridge_RefusesABadNameItself(string name)
    {
        // Past the server's own check, straight to the bridge: it must refuse too.
        using var lease = await fixture.Engine.Sessions.AcquireAsync("local", null, TimeSpan.FromSeconds(60), CancellationToken.None);
        var response = await lease.Engine.SendAsync(id => new BridgeRequest(id, BridgeRequest.Variable, Name: name,
            MaxElements: 10, MaxChars: 1000, MaxDepth: 4));

        await Assert.That(response.Ok).IsFalse();
        await Assert.That(response.Error!.Identifier).IsEqualTo("mcp:variable:name");
        await Assert.That(File.Exists(fixture.MarkerPath)).IsFalse();
    }

    [Test]
    public async Task Bridge_FunctionNamePastTheServer_IsNotCalled()
    {
        using var lease = await fixture.Engine.Sessions.AcquireAsync("local", null, TimeSpan.FromSeconds(60), CancellationToken.None);
        var response = await lease.Engine.SendAsync(id => new BridgeRequest(id, BridgeRequest.Variable, Name: "leave_marker",
            MaxElements: 10, MaxChars: 1000, MaxDepth: 4));

        await Assert.That(response.Ok).IsFalse();
        await Assert.That(response.Error!.Identifier).IsEqualTo("mcp:variable:missing");
        await Assert.That(File.Exists(fixture.MarkerPath)).IsFalse();
    }
}
