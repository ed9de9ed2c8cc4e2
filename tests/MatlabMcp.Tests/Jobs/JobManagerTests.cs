using MatlabMcp.Jobs;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Jobs;

/// <summary>Jobs against real engines: cancel, ownership, queueing, durability, retention.</summary>
public sealed class JobManagerTests
{
    [Fact]
    public async Task Cancel_DuringForLoop_StopsTheJobAndKeepsEarlierVariables()
    {
        await using var engine = new EngineHarness();
        await engine.RunAsync("defined_before = 11;");
        var (job, _) = engine.Jobs.Start("local", null, "for k = 1:1e9, partial = k; end", null);
        await WaitUntilRunningAsync(job!);
        await Task.Delay(300);

        Assert.True(engine.Jobs.Cancel("local", job!.Id));
        var outcome = await job.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ExecutionStatus.Cancelled, outcome.Status);
        Assert.True(outcome.WorkspaceKept);
        Assert.Equal(JobState.Cancelled, engine.Jobs.Find("local", job.Id)!.State);
        Assert.Equal("11\n1\n", (await engine.RunAsync("disp(defined_before); disp(partial > 0)")).Output);
    }

    [Fact]
    public async Task Cancel_DuringUninterruptibleCall_RestartsEngineAndSaysWorkspaceLost()
    {
        // system() is blocked by the default code policy; this test needs it as a wait SIGINT cannot break.
        await using var engine = new EngineHarness(c =>
        {
            c.Engine.InterruptGraceSeconds = 0.5;
            c.CodePolicy.AllowedFunctions = ["system"];
        });
        await engine.RunAsync("x = 1;");
        var (job, _) = engine.Jobs.Start("local", null, "system('sleep 30');", null);
        await WaitUntilRunningAsync(job!);
        await Task.Delay(300);

        engine.Jobs.Cancel("local", job!.Id);
        var outcome = await job.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ExecutionStatus.Cancelled, outcome.Status);
        Assert.False(outcome.WorkspaceKept);
        Assert.Contains("workspace was lost", outcome.Message);
        Assert.Equal("0\n", (await engine.RunAsync("disp(exist('x'))")).Output);
    }

    [Fact]
    public async Task OtherIdentity_CannotSeeListOrCancelAJob()
    {
        await using var engine = new EngineHarness();
        var (job, _) = engine.Jobs.Start("alice", null, "pause(1); disp('alice done')", null);

        Assert.Null(engine.Jobs.Find("bob", job!.Id));
        Assert.Null(engine.Jobs.FindActive("bob", job.Id));
        Assert.False(engine.Jobs.Cancel("bob", job.Id));
        Assert.DoesNotContain(engine.Jobs.List("bob"), j => j.Id == job.Id);

        var outcome = await job.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("alice done\n", outcome.Output);
        Assert.Null(engine.Jobs.Find("bob", job.Id)); // finished and stored: still invisible to bob
        Assert.NotNull(engine.Jobs.Find("alice", job.Id));
    }

    [Fact]
    public async Task Cancel_BeforeStart_TheCodeNeverRuns()
    {
        await using var engine = new EngineHarness();
        var session = await engine.SessionAsync();
        var marker = Path.Combine(session.Folder, "ran.txt");
        var (first, _) = engine.Jobs.Start("local", null, "pause(1.5);", null);
        await WaitUntilRunningAsync(first!);

        // Queued behind the running job: only on request (sessionWait), or it is refused at once as busy.
        var (queued, _) = engine.Jobs.Start("local", null, "fid = fopen('ran.txt', 'w'); fclose(fid);", null, TimeSpan.FromSeconds(30));
        Assert.Equal(JobState.Queued, queued!.Record.State);
        engine.Jobs.Cancel("local", queued.Id);
        var outcome = await queued.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        await first!.Completion;

        Assert.Equal(ExecutionStatus.Cancelled, outcome.Status);
        Assert.Contains("never ran", outcome.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
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
            Assert.Equal(JobState.Completed, finishedRecord.State);
            Assert.Equal("42\n", finishedRecord.Result!.Output);
            var lostRecord = second.Jobs.Find("local", runningId)!;
            Assert.Equal(JobState.Lost, lostRecord.State);
            Assert.Contains("server stopped", lostRecord.Error);
            Assert.Equal(1, second.Store.LostAtStart);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Retention_DeletesFinishedJobsOlderThanConfigured()
    {
        var time = new ShiftedTime();
        await using var engine = new EngineHarness(c => c.Jobs.RetentionHours = 1, time);
        var (job, _) = engine.Jobs.Start("local", null, "1;", null);
        await job!.Completion;

        Assert.Equal(0, engine.Jobs.EnforceRetention());
        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, engine.Jobs.EnforceRetention());
        Assert.Null(engine.Jobs.Find("local", job.Id));
    }

    [Fact]
    public async Task MaxActivePerIdentity_IsEnforcedWithAdvice()
    {
        await using var engine = new EngineHarness(c => c.Jobs.MaxActivePerIdentity = 1);
        var (first, _) = engine.Jobs.Start("local", null, "pause(1);", null);

        var (second, refusal) = engine.Jobs.Start("local", "other", "1;", null);

        Assert.Null(second);
        Assert.Contains("jobs.max_active_per_identity", refusal!.Message);
        await first!.Completion;
    }

    internal static async Task WaitUntilRunningAsync(Job job)
    {
        for (var i = 0; i < 500 && job.Record.State != JobState.Running; i++)
            await Task.Delay(20);
        Assert.Equal(JobState.Running, job.Record.State);
    }
}
