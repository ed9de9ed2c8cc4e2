using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Jobs;

/// <summary>Jobs against real engines: cancel, ownership, queueing, durability, retention.</summary>
public sealed class JobManagerTests
{
    [Test]
    public async Task Cancel_DuringForLoop_StopsTheJobAndKeepsEarlierVariables()
    {
        await using var engine = new EngineHarness();
        await engine.RunAsync("defined_before = 11;");
        var (job, _) = engine.Jobs.Start("local", null, "for k = 1:1e9, partial = k; if k == 1, disp('looping'); fflush(stdout); end, end", null);
        await Wait.UntilAsync(() => job!.Output.Text.Contains("looping", StringComparison.Ordinal), "the loop's first pass");

        await Assert.That(engine.Jobs.Cancel("local", job!.Id)).IsTrue();
        var outcome = await job.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        await Assert.That(outcome.Status).IsEqualTo(JobState.Cancelled);
        await Assert.That(outcome.WorkspaceKept).IsTrue();
        await Assert.That(engine.Jobs.Find("local", job.Id)!.State).IsEqualTo(JobState.Cancelled);
        await Assert.That((await engine.RunAsync("disp(defined_before); disp(partial > 0)")).Output).IsEqualTo("11\n1\n");
    }

    [Test]
    public async Task Cancel_DuringUninterruptibleCall_RestartsEngineAndSaysWorkspaceLost()
    {
        // system() is blocked by the default code policy; this test needs it as a wait SIGINT cannot break.
        await using var engine = new EngineHarness(c =>
        {
            c.Engine.InterruptGraceSeconds = 0.5;
            c.CodePolicy.AllowedFunctions = ["system"];
        });
        await engine.RunAsync("x = 1;");
        var (job, _) = engine.Jobs.Start("local", null, "system('sleep 31');", null);
        await Wait.UntilAsync(() => HostProcesses.WithCommandLine("sleep", "31").Count > 0, "the code's sleep to start");

        engine.Jobs.Cancel("local", job!.Id);
        var outcome = await job.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        await Assert.That(outcome.Status).IsEqualTo(JobState.Cancelled);
        await Assert.That(outcome.WorkspaceKept).IsFalse();
        await Assert.That(outcome.Message).Contains("workspace was lost");
        await Assert.That((await engine.RunAsync("disp(exist('x'))")).Output).IsEqualTo("0\n");
    }

    [Test]
    public async Task OtherIdentity_CannotSeeListOrCancelAJob()
    {
        await using var engine = new EngineHarness();
        var (job, _) = engine.Jobs.Start("alice", null, "pause(1); disp('alice done')", null);

        await Assert.That(engine.Jobs.Find("bob", job!.Id)).IsNull();
        await Assert.That(engine.Jobs.FindActive("bob", job.Id)).IsNull();
        await Assert.That(engine.Jobs.Cancel("bob", job.Id)).IsFalse();
        await Assert.That(engine.Jobs.List("bob").Jobs).DoesNotContain(j => j.Id == job.Id);

        var outcome = await job.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        await Assert.That(outcome.Output).IsEqualTo("alice done\n");
        await Assert.That(engine.Jobs.Find("bob", job.Id)).IsNull(); // finished and stored: still invisible to bob
        await Assert.That(engine.Jobs.Find("alice", job.Id)).IsNotNull();
    }

    [Test]
    public async Task Cancel_BeforeStart_TheCodeNeverRuns()
    {
        await using var engine = new EngineHarness();
        var session = await engine.SessionAsync();
        var marker = Path.Combine(session.Folder, "ran.txt");
        var (first, _) = engine.Jobs.Start("local", null, "pause(1.5);", null);
        await WaitUntilRunningAsync(first!);

        // Queued behind the running job: only on request (sessionWait), or it is refused at once as busy.
        var (queued, _) = engine.Jobs.Start("local", null, "fid = fopen('ran.txt', 'w'); fclose(fid);", null, TimeSpan.FromSeconds(30));
        await Assert.That(queued!.Record.State).IsEqualTo(JobState.Queued);
        engine.Jobs.Cancel("local", queued.Id);
        var outcome = await queued.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        await first!.Completion;

        await Assert.That(outcome.Status).IsEqualTo(JobState.Cancelled);
        await Assert.That(outcome.Message).Contains("never ran");
        await Assert.That(File.Exists(marker)).IsFalse();
    }

    [Test]
    public async Task Restart_FinishedJobStillReadable_RunningJobReportedLost()
    {
        var folder = Directory.CreateTempSubdirectory("mcp-jobsdb-").FullName;
        var database = Path.Combine(folder, "jobs.db");
        try
        {
            string finishedId, runningId;
            var first = new EngineHarness(database: database);
            {
                var (finished, _) = first.Jobs.Start("local", null, "disp(6 * 7)", null);
                await finished!.Completion;
                var (running, _) = first.Jobs.Start("local", null, "pause(60)", null);
                await WaitUntilRunningAsync(running!);
                (finishedId, runningId) = (finished.Id, running!.Id);
            }
            // The server "dies": its database connection goes first, so no ending is ever recorded.
            first.Store.Dispose();
            await first.Sessions.DisposeAsync();

            await using var second = new EngineHarness(database: database);

            var finishedRecord = second.Jobs.Find("local", finishedId)!;
            await Assert.That(finishedRecord.State).IsEqualTo(JobState.Completed);
            await Assert.That(finishedRecord.Result!.Output).IsEqualTo("42\n");
            var lostRecord = second.Jobs.Find("local", runningId)!;
            await Assert.That(lostRecord.State).IsEqualTo(JobState.Lost);
            await Assert.That(lostRecord.Error).Contains("server stopped");
            await Assert.That(second.Store.LostAtStart).IsEqualTo(1);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task Retention_DeletesFinishedJobsOlderThanConfigured()
    {
        var time = new ShiftedTime();
        await using var engine = new EngineHarness(c => c.Jobs.RetentionHours = 1, time);
        var (job, _) = engine.Jobs.Start("local", null, "1;", null);
        await job!.Completion;

        await Assert.That(engine.Jobs.EnforceRetention()).IsEqualTo(0);
        time.Advance(TimeSpan.FromHours(2));
        await Assert.That(engine.Jobs.EnforceRetention()).IsEqualTo(1);
        await Assert.That(engine.Jobs.Find("local", job.Id)).IsNull();
    }

    [Test]
    public async Task MaxActivePerIdentity_IsEnforcedWithAdvice()
    {
        await using var engine = new EngineHarness(c => c.Jobs.MaxActivePerIdentity = 1);
        var (first, _) = engine.Jobs.Start("local", null, "pause(1);", null);

        var (second, refusal) = engine.Jobs.Start("local", "other", "1;", null);

        await Assert.That(second).IsNull();
        await Assert.That(refusal!.Message).Contains("jobs.max_active_per_identity");
        await first!.Completion;
    }

    internal static async Task WaitUntilRunningAsync(Job job)
    {
        for (var i = 0; i < 500 && job.Record.State != JobState.Running; i++)
            await Task.Delay(20);
        await Assert.That(job.Record.State).IsEqualTo(JobState.Running);
    }
}
