using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>
/// Every call sees the current function files: the bridge never returns to Octave's prompt, where Octave would check
/// their time stamps, and Octave's check misses a rewrite within the second of the last parse anyway. Files are
/// rewritten in place with the same length, the hardest case to notice.
/// </summary>
public sealed class EngineReloadTests : IAsyncDisposable
{
    private readonly EngineHarness _engine = new();
    private string _folder = "";

    [Before(Test)]
    public async Task InitializeAsync() => _folder = (await _engine.SessionAsync()).Folder;
    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    private Task WriteAsync(string relative, string text)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return File.WriteAllTextAsync(path, text);
    }

    private async Task<string> RunAsync(string code)
    {
        var outcome = await _engine.RunAsync(code);
        await Assert.That(outcome.Status == JobState.Completed).IsTrue().Because($"{outcome.Status}: {outcome.Error?.Message}");
        return outcome.Output;
    }

    [Test]
    public async Task RewrittenFunctionFile_RunsTheNewVersion()
    {
        await WriteAsync("edited_f.m", "function y = edited_f()\n  y = 1;\nend\n");
        await Assert.That(await RunAsync("disp(edited_f())")).IsEqualTo("1\n");

        await WriteAsync("edited_f.m", "function y = edited_f()\n  y = 2;\nend\n");
        await Assert.That(await RunAsync("disp(edited_f())")).IsEqualTo("2\n");

        await WriteAsync("edited_f.m", "function y = edited_f()\n  y = 3;\nend\n");
        await Assert.That(await RunAsync("disp(edited_f())")).IsEqualTo("3\n");
    }

    [Test]
    public async Task FunctionFileRewrittenByTheCode_RunsTheNewVersionInTheNextCall()
    {
        // Written by the engine, which may run as another user than these tests.
        await RunAsync("fid = fopen('self_f.m', 'w'); fprintf(fid, 'function y = self_f()\\n  y = 1;\\nend\\n'); fclose(fid);");
        await Assert.That(await RunAsync("disp(self_f())")).IsEqualTo("1\n");

        await RunAsync("fid = fopen('self_f.m', 'w'); fprintf(fid, 'function y = self_f()\\n  y = 5;\\nend\\n'); fclose(fid);");

        await Assert.That(await RunAsync("disp(self_f())")).IsEqualTo("5\n");
    }

    [Test]
    public async Task ScriptFile_RunsTheNewVersion()
    {
        await WriteAsync("edited_script.m", "z = 1;\n");
        await Assert.That(await RunAsync("edited_script; disp(z)")).IsEqualTo("1\n");

        await WriteAsync("edited_script.m", "z = 2;\n");
        await Assert.That(await RunAsync("edited_script; disp(z)")).IsEqualTo("2\n");
    }

    [Test]
    public async Task FunctionInASubfolderOnThePath_RunsTheNewVersion()
    {
        await WriteAsync("lib/lib_g.m", "function y = lib_g()\n  y = 1;\nend\n");
        await Assert.That(await RunAsync("addpath('lib'); disp(lib_g())")).IsEqualTo("1\n");

        await WriteAsync("lib/lib_g.m", "function y = lib_g()\n  y = 2;\nend\n");
        await Assert.That(await RunAsync("disp(lib_g())")).IsEqualTo("2\n");
    }

    [Test]
    public async Task PrivateFunction_RunsTheNewVersion()
    {
        await WriteAsync("uses_private.m", "function y = uses_private()\n  y = private_p();\nend\n");
        await WriteAsync("private/private_p.m", "function y = private_p()\n  y = 10;\nend\n");
        await Assert.That(await RunAsync("disp(uses_private())")).IsEqualTo("10\n");

        await WriteAsync("private/private_p.m", "function y = private_p()\n  y = 20;\nend\n");
        await Assert.That(await RunAsync("disp(uses_private())")).IsEqualTo("20\n");
    }

    [Test]
    public async Task DeletedFunctionFile_IsGone()
    {
        await WriteAsync("deleted_f.m", "function y = deleted_f()\n  y = 1;\nend\n");
        await Assert.That(await RunAsync("disp(deleted_f())")).IsEqualTo("1\n");

        File.Delete(Path.Combine(_folder, "deleted_f.m"));
        var outcome = await _engine.RunAsync("disp(deleted_f())");

        await Assert.That((outcome.Error?.Identifier, outcome.Output)).IsEqualTo(("Octave:undefined-function", ""));
    }
}
