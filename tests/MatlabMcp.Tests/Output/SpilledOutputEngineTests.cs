using System.Text;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Output;

/// <summary>
/// Issue 13 against a real, sandboxed Octave: a long print is cut at lines with an exact marker, its full text is in
/// output/&lt;job&gt;.txt in the session folder (readable by the engine's own code, which may run as another uid), a call may
/// lower its budget but never raise it, and one identity's output is never reachable by another.
/// </summary>
public sealed class SpilledOutputEngineTests
{
    private const string Print = "for k = 1:20000, fprintf('line %05d\\n', k); end";
    private static readonly string Printed = string.Concat(Enumerable.Range(1, 20000).Select(k => $"line {k:00000}\n")); // 220,000 characters

    [Test]
    public async Task ALongPrint_IsCutWithAnExactMarker_AndItsFullTextIsInTheSessionFile()
    {
        await using var engine = new EngineHarness();
        var (job, _) = engine.Jobs.Start("local", null, Print, null);
        var outcome = await job!.Completion;
        var report = engine.Jobs.Find("local", job.Id)!.Result!;

        await Assert.That(report.OutputFile).IsNotNull();
        await Assert.That(report.OutputFile!.Path).IsEqualTo($"output/{job.Id}.txt");
        await Assert.That(report.OutputFile.Uri).IsEqualTo($"session://main/output/{job.Id}.txt");
        await Assert.That(report.OutputFile.Bytes).IsEqualTo(Printed.Length);
        await Assert.That(report.OutputFile.Complete).IsTrue();
        var folder = (await engine.SessionAsync()).Folder;
        await using (var file = OutputSpill.OpenRead(folder, report.OutputFile.Path))
            await Assert.That(await new StreamReader(file!).ReadToEndAsync()).IsEqualTo(Printed);

        // 20,000 kept: lines 1-1212 (13,332 characters, two thirds back to a line break) and lines 19395-20000 (6,666).
        var output = outcome.Output;
        await Assert.That(output).StartsWith(Printed[..13_332]);
        await Assert.That(output).EndsWith(Printed[^6_666..]);
        await Assert.That(output).Contains($"line 01212\n[... {220_000 - 13_332 - 6_666:N0} characters ({20_000 - 1212 - 606:N0} line breaks) " +
            $"left out here; the full text is in output/{job.Id}.txt ...]\nline 19395\n");
        await Assert.That(report.Output).IsEqualTo(output);
    }

    [Test]
    public async Task TheEnginesOwnCode_ReadsTheFile_InTheSandbox()
    {
        await using var engine = new EngineHarness();
        await Assert.That(engine.Sandbox.IsActive).IsTrue();
        var (job, _) = engine.Jobs.Start("local", null, Print, null);
        await job!.Completion;

        var read = await engine.RunAsync($"t = fileread('output/{job.Id}.txt'); printf('%d %d %s', numel(t), sum(t == 10), t(end-10:end-1))");

        await Assert.That(read.Output).IsEqualTo("220000 20000 line 20000");
    }

    [Test]
    public async Task JobOutput_ReadsTheFullTextAtAnOffset()
    {
        await using var engine = new EngineHarness();
        var (job, _) = engine.Jobs.Start("local", null, Print, null);
        await job!.Completion;
        var record = engine.Jobs.Find("local", job.Id)!;
        var reader = new JobOutput(engine.Sessions);

        var (middle, _) = reader.Read(record, null, 100_001, 1000);
        var (end, _) = reader.Read(record, null, 219_990, 1000);
        var (past, _) = reader.Read(record, null, long.MaxValue, 1000);

        await Assert.That(middle!.Text).IsEqualTo(Printed.Substring(100_001, 1000));
        await Assert.That(middle.Total).IsEqualTo(220_000);
        await Assert.That(end!.Text).IsEqualTo(Printed[219_990..]);
        await Assert.That(past!.Text).IsEmpty(); // the tool says it is past the end
        await Assert.That(past.Total).IsEqualTo(220_000);
    }

    [Test]
    public async Task WhileTheJobRuns_ItsFullOutputReadsFromTheFile()
    {
        await using var engine = new EngineHarness();
        var (job, _) = engine.Jobs.Start("local", null, Print + "; fflush(stdout); pause(60)", null);
        await Wait.UntilAsync(() => job!.Output.Truncated && job.Output.Text.Contains("line 20000", StringComparison.Ordinal), "the print to pass its budget");

        var (window, _) = new JobOutput(engine.Sessions).Read(engine.Jobs.Find("local", job!.Id)!, job, 11, 1000);
        engine.Jobs.Cancel("local", job.Id);
        await job.Completion;

        await Assert.That(window!.Text).IsEqualTo(Printed.Substring(11, 1000));
        await Assert.That(window.Total).IsGreaterThan(100_000); // written as printed (a write buffer's worth may lag)
    }

    [Test]
    public async Task SmallOutput_MakesNoFile_AndReadsBackFromTheResult()
    {
        await using var engine = new EngineHarness();
        var (job, _) = engine.Jobs.Start("local", null, "disp('short')", null);
        await job!.Completion;
        var record = engine.Jobs.Find("local", job.Id)!;

        await Assert.That(record.Result!.OutputFile).IsNull();
        await Assert.That(Directory.Exists(Path.Combine((await engine.SessionAsync()).Folder, "output"))).IsFalse();
        var (window, _) = new JobOutput(engine.Sessions).Read(record, null, 2, 100);
        await Assert.That(window!.Text).IsEqualTo("ort\n");
    }

    [Test]
    public async Task ACall_MayLowerItsBudget_NeverRaiseIt()
    {
        await using var engine = new EngineHarness(c => c.Output.MaxOutputChars = 5000);

        var (low, _) = engine.Jobs.Start("local", null, Print, null, options: new RunOptions(MaxOutputChars: 500));
        var lowOutcome = await low!.Completion;
        var (high, _) = engine.Jobs.Start("local", null, Print, null, options: new RunOptions(MaxOutputChars: 5_000_000));
        var highOutcome = await high!.Completion;

        await Assert.That(lowOutcome.Output.Length).IsLessThanOrEqualTo(500 + 200); // the budget plus the marker line
        await Assert.That(lowOutcome.Output).Contains($"output/{low.Id}.txt");
        await Assert.That(highOutcome.Output.Length).IsBetween(4800, 5200).Inclusive();
        await Assert.That(highOutcome.Notice).IsEqualTo("max_output_chars 5,000,000 is above this server's ceiling; 5,000 applies (output.max_output_chars).");
        await Assert.That(lowOutcome.Notice).IsNull(); // said once, and only when clamped
    }

    [Test]
    [Arguments(0)]
    [Arguments(-5)]
    [Arguments(99)]
    [Arguments(int.MinValue)]
    public async Task ABudgetBelow100_IsRefused_BeforeAnythingRuns(int asked)
    {
        await using var engine = new EngineHarness();

        var (job, refusal) = engine.Jobs.Start("local", null, "x = 1", null, options: new RunOptions(MaxOutputChars: asked));

        await Assert.That(job).IsNull();
        await Assert.That(refusal!.Status).IsEqualTo(JobState.Rejected);
        await Assert.That(refusal.Message).IsEqualTo("max_output_chars must be at least 100 (and at most 20,000, output.max_output_chars); omit it for that ceiling.");
    }

    [Test]
    public async Task AnotherIdentity_NeverReachesTheOutput()
    {
        await using var engine = new EngineHarness();
        var (job, _) = engine.Jobs.Start("alice", null, Print, null);
        await job!.Completion;

        await Assert.That(engine.Jobs.Find("bob", job.Id)).IsNull(); // every job tool starts here, and says "unknown"
        await Assert.That(engine.Jobs.List("bob", 200).Jobs).IsEmpty();
        await Assert.That(engine.Jobs.List("bob", 200, JobState.Completed).Total).IsEqualTo(0);
        // The file is in alice's session folder, which bob's session of the same name is not.
        var bobs = (await engine.SessionAsync(identity: "bob")).Folder;
        await Assert.That(Directory.Exists(Path.Combine(bobs, "output"))).IsFalse();
        await Assert.That(File.Exists(Path.Combine(engine.Sessions.FolderOf("alice", "main"), "output", $"{job.Id}.txt"))).IsTrue();
    }

    [Test]
    public async Task MaxSpillMb_BoundsTheFile_AndTheResultSaysItHoldsTheStart()
    {
        await using var engine = new EngineHarness(c => c.Output.MaxSpillMb = 0.1); // 104,857 bytes
        var (job, _) = engine.Jobs.Start("local", null, Print, null);
        var outcome = await job!.Completion;
        var report = engine.Jobs.Find("local", job.Id)!.Result!;

        await Assert.That(report.OutputFile!.Complete).IsFalse();
        await Assert.That(report.OutputFile.Bytes).IsBetween(100_000, 104_857).Inclusive();
        var file = Path.Combine(engine.Sessions.FolderOf("local", "main"), report.OutputFile.Path);
        await Assert.That(Printed.StartsWith(File.ReadAllText(file), StringComparison.Ordinal)).IsTrue();
        await Assert.That(outcome.Output).Contains($"the output file output/{job.Id}.txt holds its start (output.max_spill_mb) ...]");
    }

    [Test]
    [Arguments(0.0)]
    [Arguments(-1.0)]
    [Arguments(double.NaN)]
    public async Task MaxSpillMb_MustBePositive(double mb)
    {
        var problems = new MatlabMcp.Configuration.OutputOptions { MaxSpillMb = mb }.Validate().ToList();

        await Assert.That(problems).Contains("output.max_spill_mb must be positive (at most 100000).");
    }
}
