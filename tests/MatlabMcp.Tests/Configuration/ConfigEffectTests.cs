using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Tests.Support;
using Microsoft.Extensions.Options;

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
    [Test]
    public async Task WorkRoot_HoldsTheSessionFolder_WhereTheEngineRuns()
    {
        await using var engine = new EngineHarness();

        var outcome = await engine.RunAsync("fid = fopen('here.txt', 'w'); fclose(fid);");

        var folder = (await engine.SessionAsync()).Folder;
        await Assert.That(outcome.Status).IsEqualTo(JobState.Completed);
        await Assert.That(folder).StartsWith(engine.Config.Engine.WorkRoot);
        await Assert.That(File.Exists(Path.Combine(folder, "here.txt"))).IsTrue().Because("the engine does not work in its session folder");
    }

    [Test]
    public async Task DefaultTimeout_AppliesWhenTheCallerGivesNone()
    {
        await using var engine = new EngineHarness(c => c.Execution.DefaultTimeoutSeconds = 0.5);

        var outcome = await engine.RunAsync("while true, end");

        await Assert.That(outcome.Status).IsEqualTo(JobState.TimedOut);
        await Assert.That(outcome.Message).Contains("0.5 s time limit");
    }

    [Test]
    public async Task MaxCodeChars_RejectsLongerCodeBeforeStartingAnEngine()
    {
        await using var engine = new EngineHarness(c => c.Execution.MaxCodeChars = 10);

        var outcome = await engine.RunAsync("disp(12345678901)");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Rejected);
        await Assert.That(outcome.Message).Contains("execution.max_code_chars");
    }

    [Test]
    public async Task MaxOutputChars_CutsTheMiddleAndSaysSo()
    {
        await using var engine = new EngineHarness(c => c.Output.MaxOutputChars = 300);
        var outcome = await engine.RunAsync("for k = 1:200, fprintf('line %03d\\n', k); end");

        var result = engine.Results.Execution(outcome);

        var text = (await Assert.That(result.Content[0]).IsTypeOf<ModelContextProtocol.Protocol.TextContentBlock>())!.Text;
        await Assert.That(text).StartsWith("line 001");
        await Assert.That(text).Contains("line 200");
        await Assert.That(text).DoesNotContain("line 100");
        // 200 lines of 9 characters, 300 kept at line breaks: lines 1-22 (198) and 190-200 (99); the file holds all of it.
        await Assert.That(text).Contains("line 022\n[... 1,503 characters (167 line breaks) left out here; the full text is in output/job-");
        await Assert.That(text).Contains("...]\nline 190\n");
        await Assert.That(result.StructuredContent!.Value.GetProperty("output_truncated").GetBoolean()).IsTrue();
    }

    [Test]
    public async Task MaxWorkspaceVariables_ListsOnlyThatManyAndSaysSo()
    {
        await using var engine = new EngineHarness(c => c.Output.MaxWorkspaceVariables = 3);
        await engine.RunAsync("a1 = 1; a2 = 2; a3 = 3; a4 = 4; a5 = 5;");

        var tools = new MatlabMcp.Endpoints.WorkspaceTools(engine.Sessions, engine.Results, Options.Create(engine.Config.Output));
        var result = await tools.ReadAsync("local", null, CancellationToken.None);

        await Assert.That(result.StructuredContent!.Value.GetProperty("variables").GetArrayLength()).IsEqualTo(3);
        await Assert.That(result.StructuredContent.Value.GetProperty("truncated").GetBoolean()).IsTrue();
    }

    [Test]
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
            await using var engine = new EngineHarness(c => { c.Engine.Kind = MatlabMcp.Configuration.EngineKind.Matlab; c.Engine.Executable = standIn; });

            await engine.RunAsync("x = 5;");
            var interrupted = await engine.RunAsync("while true, end", timeoutSeconds: 0.5);
            var after = await engine.RunAsync("disp(x)");

            await Assert.That(interrupted.Status).IsEqualTo(JobState.TimedOut);
            await Assert.That(interrupted.WorkspaceKept).IsTrue();
            await Assert.That(after.Output).IsEqualTo("5\n");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
