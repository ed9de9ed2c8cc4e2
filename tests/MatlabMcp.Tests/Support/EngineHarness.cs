using MatlabMcp.Configuration;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace MatlabMcp.Tests.Support;

/// <summary>
/// A real Octave behind the real bridge, pool, sessions and job manager, with its own work folder and job
/// database; disposed with the test.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private readonly string _root;

    public EngineHarness(Action<AppConfig>? configure = null, TimeProvider? time = null, string? database = null)
    {
        _root = Directory.CreateTempSubdirectory("mcp-test-").FullName;
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101); // engines may run as another user (sandbox.engine_user)
        Config = new AppConfig();
        Config.Engine.WorkRoot = _root;
        Config.Jobs.Database = database ?? Path.Combine(_root, "jobs.db");
        Config.Pool.SpareEngines = 0; // tests that want spares ask for them
        configure?.Invoke(Config);
        Time = time ?? TimeProvider.System;
        Sandbox = new EngineSandbox(Config);
        Factory = new EngineFactory(Config, Sandbox, Time, NullLoggerFactory.Instance);
        Pool = new EnginePool(Factory, Config, Time, NullLogger<EnginePool>.Instance);
        Sessions = new SessionRegistry(Factory, Pool, Config, Time, NullLoggerFactory.Instance);
        Executor = new CodeExecutor(Config, CodePolicy.From(Config), Time, NullLogger<CodeExecutor>.Instance);
        Store = new JobStore(Config, Time, NullLogger<JobStore>.Instance);
        Results = new ResultBuilder(Config);
        Jobs = new JobManager(Sessions, Executor, Store, Results, Config, Time, NullLogger<JobManager>.Instance);
    }

    public AppConfig Config { get; }
    public TimeProvider Time { get; }
    public EngineSandbox Sandbox { get; }
    public EngineFactory Factory { get; }
    public EnginePool Pool { get; }
    public SessionRegistry Sessions { get; }
    public CodeExecutor Executor { get; }
    public JobStore Store { get; }
    public ResultBuilder Results { get; }
    public JobManager Jobs { get; }

    /// <summary>Runs code as a job and waits for it to end; cancelling the token cancels the job.</summary>
    public async Task<ExecutionOutcome> RunAsync(string code, double? timeoutSeconds = null, CancellationToken cancellationToken = default,
        string? session = null, string identity = CallerIdentity.Local)
    {
        var (job, refusal) = Jobs.Start(identity, session, code, timeoutSeconds);
        if (job is null)
            return refusal!;
        using var cancel = cancellationToken.Register(() => Jobs.Cancel(identity, job.Id));
        return await job.Completion;
    }

    /// <summary>The session (created if needed), for tests that look inside it.</summary>
    public async Task<EngineSession> SessionAsync(string? name = null, string identity = CallerIdentity.Local)
    {
        using var lease = await Sessions.AcquireAsync(identity, name, CancellationToken.None);
        return lease.Session;
    }

    /// <summary>The process id of a session's engine (starting it if needed).</summary>
    public async Task<int> EnginePidAsync(string? name = null, string identity = CallerIdentity.Local)
    {
        using var lease = await Sessions.AcquireAsync(identity, name, CancellationToken.None);
        return lease.Engine.ProcessId;
    }

    public async ValueTask DisposeAsync()
    {
        await Jobs.DisposeAsync();
        await Sessions.DisposeAsync();
        await Pool.DisposeAsync();
        Store.Dispose();
        Factory.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
