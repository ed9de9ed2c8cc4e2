using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Pool;

/// <summary>
/// Start failures. These use stand-in executables (fault injection): a real Octave cannot be made
/// to be missing or to hang before its bridge opens on demand.
/// </summary>
public sealed class EngineStartTests : IDisposable
{
    private readonly string _folder = Executables.Folder("mcp-fake-");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Script(string name, string body)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    [Test]
    public async Task Start_MissingExecutable_IsRejectedWithInstallAdvice()
    {
        await using var engine = new EngineHarness(c => c.Engine.Executable = Path.Combine(_folder, "no-such-octave"));

        var outcome = await engine.RunAsync("disp(1)");

        await Assert.That(outcome.Status).IsEqualTo(JobState.Rejected);
        await Assert.That(outcome.Message).Contains("engine.executable");
    }

    [Test]
    public async Task Start_EngineThatNeverOpensTheBridge_TimesOutWithMessage()
    {
        var hang = Script("hanging-octave", "exec sleep 60");
        await using var engine = new EngineHarness(c => { c.Engine.Executable = hang; c.Engine.StartupTimeoutSeconds = 1; });

        var outcome = await engine.RunAsync("disp(1)").WaitAsync(TimeSpan.FromSeconds(20));

        await Assert.That(outcome.Status).IsEqualTo(JobState.Rejected);
        await Assert.That(outcome.Message).Contains("engine.startup_timeout");
    }

    [Test]
    public async Task Start_EngineThatExitsAtOnce_ReportsItsErrorOutput()
    {
        var crash = Script("crashing-octave", "echo 'fatal: licence missing' >&2; exit 7");
        await using var engine = new EngineHarness(c => c.Engine.Executable = crash);

        var outcome = await engine.RunAsync("disp(1)").WaitAsync(TimeSpan.FromSeconds(20));

        await Assert.That(outcome.Status).IsEqualTo(JobState.Rejected);
        await Assert.That(outcome.Message).Contains("exited with code 7");
        await Assert.That(outcome.Message).Contains("licence missing");
    }

    [Test]
    public async Task Start_AfterFailures_AWorkingEngineStillStarts()
    {
        // A failed start must not poison the session: the next call tries again.
        var crash = Script("flaky-octave", "exit 1");
        await using var engine = new EngineHarness(c => c.Engine.Executable = crash);
        for (var i = 0; i < 3; i++)
            await Assert.That((await engine.RunAsync("disp(1)")).Status).IsEqualTo(JobState.Rejected);

        engine.Config.Engine.Executable = "";

        await Assert.That((await engine.RunAsync("disp(1)")).Output).IsEqualTo("1\n");
    }
}
