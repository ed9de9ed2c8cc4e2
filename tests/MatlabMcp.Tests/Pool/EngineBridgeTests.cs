using MatlabMcp.Jobs;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>The bridge against a real Octave: round trips, persistence and errors.</summary>
public sealed class EngineBridgeTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Fact]
    public async Task Execute_Statement_ReturnsPrintedOutput()
    {
        var outcome = await _engine.RunAsync("disp(6 * 7)");

        Assert.Equal(ExecutionStatus.Completed, outcome.Status);
        Assert.Equal("42\n", outcome.Output);
    }

    [Fact]
    public async Task Execute_VariableAssigned_PersistsToNextCall()
    {
        await _engine.RunAsync("x = 42;");
        var outcome = await _engine.RunAsync("disp(x + 1)");

        Assert.Equal("43\n", outcome.Output);
    }

    [Fact]
    public async Task ClosingAllFiles_ClosesOnlyTheCodesFiles_AndTheSessionCarriesOn()
    {
        // Common idioms: without the shadowed fopen/fclose they closed the bridge's pipes too and ended the engine.
        await _engine.RunAsync("kept = 42; a = fopen('a.txt', 'w'); b = fopen('b.txt', 'w');");

        var listed = await _engine.RunAsync("disp(isequal(sort(fopen('all')), sort([a b])))");
        var loop = await _engine.RunAsync("for f = fopen('all'), fclose(f); end; disp(isempty(fopen('all')))");
        var all = await _engine.RunAsync("c = fopen('a.txt'); fclose('all'); disp(isempty(fopen('all')))");
        // Octave numbers handles in the order files open: the bridge opened its two pipes just before.
        var bridgeHandle = await _engine.RunAsync("fclose(min([a b]) - 1)");
        var after = await _engine.RunAsync("disp(kept); fid = fopen('b.txt'); disp(fclose(fid))");

        Assert.Equal([(ExecutionStatus.Completed, "1\n")], new[] { listed, loop, all }.Select(o => (o.Status, o.Output)).Distinct());
        Assert.Equal(ExecutionStatus.Failed, bridgeHandle.Status);
        Assert.Equal("mcp:bridge", bridgeHandle.Error!.Identifier);
        Assert.Contains("fclose('all') closes only your files", bridgeHandle.Error.Message);
        Assert.Equal((ExecutionStatus.Completed, "42\n0\n"), (after.Status, after.Output));
    }

    [Fact]
    public async Task Execute_UnicodeText_SurvivesTheRoundTrip()
    {
        var outcome = await _engine.RunAsync("disp('héllo ✓ 数学')");

        Assert.Equal("héllo ✓ 数学\n", outcome.Output);
    }

    [Fact]
    public async Task Execute_ErrorInFunction_ReturnsIdentifierMessageStackAndEarlierOutput()
    {
        var session = await _engine.SessionAsync();
        await File.WriteAllTextAsync(Path.Combine(session.Folder, "failing_helper.m"),
            "function failing_helper(n)\n  disp('inside');\n  error('demo:bad', 'bad value %d', n);\nend\n");

        var outcome = await _engine.RunAsync("disp('before'); failing_helper(3)");

        Assert.Equal(ExecutionStatus.Failed, outcome.Status);
        Assert.Equal("before\ninside\n", outcome.Output);
        Assert.Equal("demo:bad", outcome.Error!.Identifier);
        Assert.Equal("bad value 3", outcome.Error.Message);
        // The function's frame, then the line of the submitted code that called it.
        Assert.Equal([("failing_helper", 3), ("submitted code", 1)], outcome.Error.Stack!.Select(f => (f.Name, f.Line)));
    }

    [Fact]
    public async Task Execute_UndefinedFunction_ReturnsOctaveIdentifier()
    {
        var outcome = await _engine.RunAsync("y = no_such_function_xyz(1);");

        Assert.Equal(ExecutionStatus.Failed, outcome.Status);
        Assert.Equal("Octave:undefined-function", outcome.Error!.Identifier);
        Assert.Contains("no_such_function_xyz", outcome.Error.Message);
    }

    [Fact]
    public async Task Execute_ParseError_ReturnsEmptyIdentifierAndSessionStillWorks()
    {
        await _engine.RunAsync("kept = 5;");

        var outcome = await _engine.RunAsync("x = [1 2");

        Assert.Equal(ExecutionStatus.Failed, outcome.Status);
        Assert.Equal("", outcome.Error!.Identifier);
        Assert.Contains("parse error", outcome.Error.Message);
        Assert.Equal("5\n", (await _engine.RunAsync("disp(kept)")).Output);
    }

    [Theory]
    [InlineData("answer = input('value? ');")]
    [InlineData("keyboard")]
    [InlineData("pause")]
    [InlineData("pause(Inf)")]
    [InlineData("choice = menu('pick', 'a', 'b');")]
    public async Task Execute_InteractiveCall_FailsFastWithClearError(string code)
    {
        var outcome = await _engine.RunAsync(code, timeoutSeconds: 20);

        Assert.Equal(ExecutionStatus.Failed, outcome.Status);
        Assert.Equal("mcp:interactive", outcome.Error!.Identifier);
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(10), $"took {outcome.Elapsed}");
    }

    [Fact]
    public async Task Execute_PauseWithDuration_StillWorks()
    {
        var outcome = await _engine.RunAsync("pause(0.05); disp('done')");

        Assert.Equal(ExecutionStatus.Completed, outcome.Status);
        Assert.Equal("done\n", outcome.Output);
    }

    [Fact]
    public async Task Execute_ClearAll_DoesNotBreakTheBridge()
    {
        await _engine.RunAsync("a = 1; clear all; clear functions;");

        var outcome = await _engine.RunAsync("b = 2; disp(b)");

        Assert.Equal("2\n", outcome.Output);
    }
}
