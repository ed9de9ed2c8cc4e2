using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>
/// A function handle read from a data file is code the policy never saw: load refuses it in every form and format,
/// names where it was, assigns nothing, and plain data still loads as before. The policy is off, so the engine's
/// own check is what is tested.
/// </summary>
public sealed class EngineLoadTests : IAsyncDisposable
{
    // Octave's text format, written here so no code policy ever sees the handle's body.
    private const string TextFile = "# name: h\n# type: function handle\n@<anonymous>\n@() system ('touch pwned')\n\n\n" +
        "# name: x\n# type: scalar\n3\n\n\n";

    private readonly EngineHarness _engine = new(c => c.CodePolicy.Enabled = false);
    private string _folder = "";

    [Before(Test)]
    public async Task InitializeAsync()
    {
        _folder = (await _engine.SessionAsync()).Folder;
        await File.WriteAllTextAsync(Path.Combine(_folder, "handle.txt"), TextFile);
        var saved = await _engine.RunAsync("h = @() system('touch pwned'); s.inner = {1, 'a', {2, h}}; " +
            "save('-binary', 'handle.bin', 'h'); save('-binary', 'handle.mat', 'h'); save('-text', 'nested.txt', 's'); " +
            "save('-binary', 'nested.bin', 's'); f = inline('x + 1'); save('-text', 'inline.txt', 'f'); clear h s f");
        await Assert.That(saved.Status).IsEqualTo(JobState.Completed);
    }

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Test]
    [Arguments("load handle.txt", "in h")]
    [Arguments("load('handle.txt')", "in h")]
    [Arguments("load('-text', 'handle.txt')", "in h")]
    [Arguments("S = load('handle.txt');", "in h")]
    [Arguments("load handle.bin", "in h")]
    [Arguments("S = load('-binary', 'handle.bin');", "in h")]
    [Arguments("load handle.mat", "in h")]
    [Arguments("S = load('handle.mat', 'h');", "in h")]
    [Arguments("load nested.txt", "in s.inner{3}{2}")]
    [Arguments("S = load('-binary', 'nested.bin');", "in s.inner{3}{2}")]
    [Arguments("load inline.txt", "in f")]
    [Arguments("S = importdata('handle.mat');", "in h")]
    public async Task Load_FileHoldingAHandle_IsRefused_NamingWhere_AndNothingRuns(string load, string where)
    {
        var outcome = await _engine.RunAsync($"{load}\nh(); S.h(); s.inner{{3}}{{2}}();", timeoutSeconds: 30);

        await Assert.That(outcome.Status).IsEqualTo(JobState.Failed);
        await Assert.That(outcome.Error!.Identifier).IsEqualTo("mcp:load");
        await Assert.That(outcome.Error.Message).Contains(where);
        var after = await _engine.RunAsync("fprintf('%d', [exist('h'), exist('S'), exist('s'), exist('x'), exist('f')])");
        await Assert.That(after.Output).IsEqualTo("00000");
        await Assert.That(File.Exists(Path.Combine(_folder, "pwned"))).IsFalse();
    }

    [Test]
    public async Task Load_OnlyTheDataVariablesOfAFileWithAHandle_Works()
    {
        var outcome = await _engine.RunAsync("load('handle.txt', 'x'); S = load('handle.txt', 'x'); fprintf('%d', [x, S.x, exist('h')])");

        await Assert.That((outcome.Status, outcome.Output)).IsEqualTo((JobState.Completed, "330"));
    }

    [Test]
    public async Task Load_PlainData_AssignsAsTheBuiltinDoes()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "my-data.txt"), "1 2\n3 4\n");

        var outcome = await _engine.RunAsync("x = 1:3; s.a = {1, 'b'}; save('d.mat', 'x', 's'); save('-binary', 'd.bin', 'x'); " +
            "clear x s; load d.mat; disp(s.a{2}); S = load('d.mat'); disp(S.x); load('-binary', 'd.bin', 'x'); disp(x); " +
            "load my-data.txt; disp(my_data); M = load('my-data.txt'); disp(M(2, 1))");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Completed);
        await Assert.That(outcome.Output).IsEqualTo("b\n   1   2   3\n   1   2   3\n   1   2\n   3   4\n3\n");
    }

    [Test]
    public async Task Matfile_IsRefusedWithAdvice()
    {
        var outcome = await _engine.RunAsync("m = matfile('d.mat');");

        await Assert.That(outcome.Error!.Identifier).IsEqualTo("mcp:load");
        await Assert.That(outcome.Error.Message).Contains("load(file, 'name')");
    }
}
