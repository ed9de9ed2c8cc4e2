using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Configuration;

/// <summary>Every config key does something: one observable effect per key (the rest are covered where named).</summary>
/// <remarks>
/// engine.executable, engine.startup_timeout: EngineStartTests. engine.interrupt_grace: EngineEscalationTests.
/// execution.max_execution_time: StdioServerTests.ExecuteCode_TimeoutAboveMaximum_IsRejectedWithGuidance.
/// code_policy.*: Security/CodePolicyTests (blocked, allowed, confined lists) and
/// Security/PolicyExecutionTests.Execute_PolicyDisabled_RunsTheCode (enabled).
/// </remarks>
public sealed class ConfigEffectTests
{
    [Fact]
    public async Task WorkRoot_HoldsTheSessionFolder_WhereTheEngineRuns()
    {
        await using var engine = new EngineHarness();

        var outcome = await engine.RunAsync("fid = fopen('here.txt', 'w'); fclose(fid);");

        var folder = (await engine.SessionAsync()).Folder;
        Assert.Equal(ExecutionStatus.Completed, outcome.Status);
        Assert.StartsWith(engine.Config.Engine.WorkRoot, folder);
        Assert.True(File.Exists(Path.Combine(folder, "here.txt")), "the engine does not work in its session folder");
    }

    [Fact]
    public async Task DefaultTimeout_AppliesWhenTheCallerGivesNone()
    {
        await using var engine = new EngineHarness(c => c.Execution.DefaultTimeoutSeconds = 0.5);

        var outcome = await engine.RunAsync("while true, end");

        Assert.Equal(ExecutionStatus.TimedOut, outcome.Status);
        Assert.Contains("0.5 s time limit", outcome.Message);
    }

    [Fact]
    public async Task MaxCodeChars_RejectsLongerCodeBeforeStartingAnEngine()
    {
        await using var engine = new EngineHarness(c => c.Execution.MaxCodeChars = 10);

        var outcome = await engine.RunAsync("disp(12345678901)");

        Assert.Equal(ExecutionStatus.Rejected, outcome.Status);
        Assert.Contains("execution.max_code_chars", outcome.Message);
    }

    [Fact]
    public async Task MaxOutputChars_CutsTheMiddleAndSaysSo()
    {
        await using var engine = new EngineHarness(c => c.Output.MaxOutputChars = 300);
        var outcome = await engine.RunAsync("for k = 1:200, fprintf('line %03d\\n', k); end");

        var result = new ResultBuilder(engine.Config).Execution(outcome);

        var text = Assert.IsType<ModelContextProtocol.Protocol.TextContentBlock>(result.Content[0]).Text;
        Assert.StartsWith("line 001", text);
        Assert.Contains("line 200", text);
        Assert.DoesNotContain("line 100", text);
        Assert.Contains("[... 1,500 characters omitted ...]", text); // 200 lines of 9 characters, 300 kept
        Assert.Contains("output.max_output_chars", text);
        Assert.True(result.StructuredContent!.Value.GetProperty("output_truncated").GetBoolean());
    }

    [Fact]
    public async Task MaxWorkspaceVariables_ListsOnlyThatManyAndSaysSo()
    {
        await using var engine = new EngineHarness(c => c.Output.MaxWorkspaceVariables = 3);
        await engine.RunAsync("a1 = 1; a2 = 2; a3 = 3; a4 = 4; a5 = 5;");

        var tools = new MatlabMcp.Endpoints.WorkspaceTools(engine.Sessions, new ResultBuilder(engine.Config), engine.Config);
        var result = await tools.ReadAsync("local", null, CancellationToken.None);

        Assert.Equal(3, result.StructuredContent!.Value.GetProperty("variables").GetArrayLength());
        Assert.True(result.StructuredContent.Value.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task KindMatlab_LaunchesThroughMatlabCommandLine_AndInterruptsKeepTheWorkspace()
    {
        // No MATLAB exists here: a stand-in `matlab` runs the -r command in Octave (this tests our launch path).
        var folder = Directory.CreateTempSubdirectory("mcp-matlab-").FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101); // the engine user must reach the stand-in
        var standIn = Path.Combine(folder, "matlab");
        File.WriteAllText(standIn, """
            #!/bin/bash
            # Stand-in for MATLAB: accepts -nodesktop -nosplash -r CMD and runs CMD in Octave.
            while [ $# -gt 0 ]; do case "$1" in -r) cmd="$2"; shift ;; esac; shift; done
            exec octave-cli --quiet --no-init-file --no-line-editing --interactive --persist --eval "PS1(''); $cmd"
            """.Replace("\r", ""));
        File.SetUnixFileMode(standIn, (UnixFileMode)0b111_101_101);
        try
        {
            await using var engine = new EngineHarness(c => { c.Engine.Kind = "matlab"; c.Engine.Executable = standIn; });

            await engine.RunAsync("x = 5;");
            var interrupted = await engine.RunAsync("while true, end", timeoutSeconds: 0.5);
            var after = await engine.RunAsync("disp(x)");

            Assert.Equal(ExecutionStatus.TimedOut, interrupted.Status);
            Assert.True(interrupted.WorkspaceKept);
            Assert.Equal("5\n", after.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
