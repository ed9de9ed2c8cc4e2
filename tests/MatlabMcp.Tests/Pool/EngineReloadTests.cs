using MatlabMcp.Jobs;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>
/// Every call sees the current function files: the bridge never returns to Octave's prompt, where Octave would check
/// their time stamps, and Octave's check misses a rewrite within the second of the last parse anyway. Files are
/// rewritten in place with the same length, the hardest case to notice.
/// </summary>
public sealed class EngineReloadTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new();
    private string _folder = "";

    public async Task InitializeAsync() => _folder = (await _engine.SessionAsync()).Folder;
    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();

    private Task WriteAsync(string relative, string text)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return File.WriteAllTextAsync(path, text);
    }

    private async Task<string> RunAsync(string code)
    {
        var outcome = await _engine.RunAsync(code);
        Assert.True(outcome.Status == ExecutionStatus.Completed, $"{outcome.Status}: {outcome.Error?.Message}");
        return outcome.Output;
    }

    [Fact]
    public async Task RewrittenFunctionFile_RunsTheNewVersion()
    {
        await WriteAsync("edited_f.m", "function y = edited_f()\n  y = 1;\nend\n");
        Assert.Equal("1\n", await RunAsync("disp(edited_f())"));

        await WriteAsync("edited_f.m", "function y = edited_f()\n  y = 2;\nend\n");
        Assert.Equal("2\n", await RunAsync("disp(edited_f())"));

        await WriteAsync("edited_f.m", "function y = edited_f()\n  y = 3;\nend\n");
        Assert.Equal("3\n", await RunAsync("disp(edited_f())"));
    }

    [Fact]
    public async Task FunctionFileRewrittenByTheCode_RunsTheNewVersionInTheNextCall()
    {
        // Written by the engine, which may run as another user than these tests.
        await RunAsync("fid = fopen('self_f.m', 'w'); fprintf(fid, 'function y = self_f()\\n  y = 1;\\nend\\n'); fclose(fid);");
        Assert.Equal("1\n", await RunAsync("disp(self_f())"));

        await RunAsync("fid = fopen('self_f.m', 'w'); fprintf(fid, 'function y = self_f()\\n  y = 5;\\nend\\n'); fclose(fid);");

        Assert.Equal("5\n", await RunAsync("disp(self_f())"));
    }

    [Fact]
    public async Task ScriptFile_RunsTheNewVersion()
    {
        await WriteAsync("edited_script.m", "z = 1;\n");
        Assert.Equal("1\n", await RunAsync("edited_script; disp(z)"));

        await WriteAsync("edited_script.m", "z = 2;\n");
        Assert.Equal("2\n", await RunAsync("edited_script; disp(z)"));
    }

    [Fact]
    public async Task FunctionInASubfolderOnThePath_RunsTheNewVersion()
    {
        await WriteAsync("lib/lib_g.m", "function y = lib_g()\n  y = 1;\nend\n");
        Assert.Equal("1\n", await RunAsync("addpath('lib'); disp(lib_g())"));

        await WriteAsync("lib/lib_g.m", "function y = lib_g()\n  y = 2;\nend\n");
        Assert.Equal("2\n", await RunAsync("disp(lib_g())"));
    }

    [Fact]
    public async Task PrivateFunction_RunsTheNewVersion()
    {
        await WriteAsync("uses_private.m", "function y = uses_private()\n  y = private_p();\nend\n");
        await WriteAsync("private/private_p.m", "function y = private_p()\n  y = 10;\nend\n");
        Assert.Equal("10\n", await RunAsync("disp(uses_private())"));

        await WriteAsync("private/private_p.m", "function y = private_p()\n  y = 20;\nend\n");
        Assert.Equal("20\n", await RunAsync("disp(uses_private())"));
    }

    [Fact]
    public async Task DeletedFunctionFile_IsGone()
    {
        await WriteAsync("deleted_f.m", "function y = deleted_f()\n  y = 1;\nend\n");
        Assert.Equal("1\n", await RunAsync("disp(deleted_f())"));

        File.Delete(Path.Combine(_folder, "deleted_f.m"));
        var outcome = await _engine.RunAsync("disp(deleted_f())");

        Assert.Equal(("Octave:undefined-function", ""), (outcome.Error?.Identifier, outcome.Output));
    }
}
