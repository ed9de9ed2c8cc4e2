using MatlabMcp.Configuration;
using MatlabMcp.Endpoints;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.DependencyInjection;

namespace MatlabMcp.Tests.Support;

/// <summary>
/// A real Octave behind the real bridge, pool, sessions and job manager, composed as the server composes them, with its
/// own work folder and job database; disposed with the test.
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
        // The server's own composition (admission, audit and approval included), with the test's clock and no logs.
        var services = new ServiceCollection().AddLogging().AddSingleton(Time);
        services.AddMatlabMcp(Config, Sandbox);
        Services = services.BuildServiceProvider();
        // Resolved in this order so they end in the reverse one (see DisposeAsync).
        Store = Services.GetRequiredService<JobStore>();
        Factory = Services.GetRequiredService<EngineFactory>();
        Pool = Services.GetRequiredService<EnginePool>();
        Sessions = Services.GetRequiredService<SessionRegistry>();
        Executor = Services.GetRequiredService<CodeExecutor>();
        Results = Services.GetRequiredService<ResultBuilder>();
        Jobs = Services.GetRequiredService<JobManager>();
    }

    /// <summary>The services as the server composes them.</summary>
    public ServiceProvider Services { get; }

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

    /// <summary>Runs a function call (arguments as data) as a job; <paramref name="code"/> is what the policy checks.</summary>
    public async Task<ExecutionOutcome> CallAsync(EngineCall call, string code = "call", string? addPath = null, string? session = null,
        string identity = CallerIdentity.Local)
    {
        var (job, refusal) = Jobs.Start(identity, session, code, null, options: new RunOptions(Call: call, AddPath: addPath));
        return job is null ? refusal! : await job.Completion;
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
        // Singletons end in the reverse order of their creation: jobs, sessions, the pool, the factory, then the store
        // (a job ending as its engine stops still records its end).
        await Services.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
