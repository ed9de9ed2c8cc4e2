using MatlabMcp.Jobs;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>
/// A function handle read from a data file is code the policy never saw: load refuses it in every form and format,
/// names where it was, assigns nothing, and plain data still loads as before. The policy is off, so the engine's
/// own check is what is tested.
/// </summary>
public sealed class EngineLoadTests : IAsyncLifetime
{
    // Octave's text format, written here so no code policy ever sees the handle's body.
    private const string TextFile = "# name: h\n# type: function handle\n@<anonymous>\n@() system ('touch pwned')\n\n\n" +
        "# name: x\n# type: scalar\n3\n\n\n";

    private readonly EngineHarness _engine = new(c => c.CodePolicy.Enabled = false);
    private string _folder = "";

    public async Task InitializeAsync()
    {
        _folder = (await _engine.SessionAsync()).Folder;
        await File.WriteAllTextAsync(Path.Combine(_folder, "handle.txt"), TextFile);
        var saved = await _engine.RunAsync("h = @() system('touch pwned'); s.inner = {1, 'a', {2, h}}; " +
            "save('-binary', 'handle.bin', 'h'); save('-binary', 'handle.mat', 'h'); save('-text', 'nested.txt', 's'); " +
            "save('-binary', 'nested.bin', 's'); f = inline('x + 1'); save('-text', 'inline.txt', 'f'); clear h s f");
        Assert.Equal(ExecutionStatus.Completed, saved.Status);
    }

    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    [Theory]
    [InlineData("load handle.txt", "in h")]
    [InlineData("load('handle.txt')", "in h")]
    [InlineData("load('-text', 'handle.txt')", "in h")]
    [InlineData("S = load('handle.txt');", "in h")]
    [InlineData("load handle.bin", "in h")]
    [InlineData("S = load('-binary', 'handle.bin');", "in h")]
    [InlineData("load handle.mat", "in h")]
    [InlineData("S = load('handle.mat', 'h');", "in h")]
    [InlineData("load nested.txt", "in s.inner{3}{2}")]
    [InlineData("S = load('-binary', 'nested.bin');", "in s.inner{3}{2}")]
    [InlineData("load inline.txt", "in f")]
    [InlineData("S = importdata('handle.mat');", "in h")]
    public async Task Load_FileHoldingAHandle_IsRefused_NamingWhere_AndNothingRuns(string load, string where)
    {
        var outcome = await _engine.RunAsync($"{load}\nh(); S.h(); s.inner{{3}}{{2}}();", timeoutSeconds: 30);

        Assert.Equal(ExecutionStatus.Failed, outcome.Status);
        Assert.Equal("mcp:load", outcome.Error!.Identifier);
        Assert.Contains(where, outcome.Error.Message);
        var after = await _engine.RunAsync("fprintf('%d', [exist('h'), exist('S'), exist('s'), exist('x'), exist('f')])");
        Assert.Equal("00000", after.Output);
        Assert.False(File.Exists(Path.Combine(_folder, "pwned")));
    }

    [Fact]
    public async Task Load_OnlyTheDataVariablesOfAFileWithAHandle_Works()
    {
        var outcome = await _engine.RunAsync("load('handle.txt', 'x'); S = load('handle.txt', 'x'); fprintf('%d', [x, S.x, exist('h')])");

        Assert.Equal((ExecutionStatus.Completed, "330"), (outcome.Status, outcome.Output));
    }

    [Fact]
    public async Task Load_PlainData_AssignsAsTheBuiltinDoes()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "my-data.txt"), "1 2\n3 4\n");

        var outcome = await _engine.RunAsync("x = 1:3; s.a = {1, 'b'}; save('d.mat', 'x', 's'); save('-binary', 'd.bin', 'x'); " +
            "clear x s; load d.mat; disp(s.a{2}); S = load('d.mat'); disp(S.x); load('-binary', 'd.bin', 'x'); disp(x); " +
            "load my-data.txt; disp(my_data); M = load('my-data.txt'); disp(M(2, 1))");

        Assert.Equal(ExecutionStatus.Completed, outcome.Status);
        Assert.Equal("b\n   1   2   3\n   1   2   3\n   1   2\n   3   4\n3\n", outcome.Output);
    }

    [Fact]
    public async Task Matfile_IsRefusedWithAdvice()
    {
        var outcome = await _engine.RunAsync("m = matfile('d.mat');");

        Assert.Equal("mcp:load", outcome.Error!.Identifier);
        Assert.Contains("load(file, 'name')", outcome.Error.Message);
    }
}
