using MatlabMcp.Configuration;
using MatlabMcp.Jobs;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace MatlabMcp.Tests.Support;

/// <summary>A real Octave behind the real bridge, pool and sessions, with its own work folder; disposed with the test.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public EngineHarness(Action<AppConfig>? configure = null, TimeProvider? time = null)
    {
        Config = new AppConfig();
        Config.Engine.WorkRoot = Directory.CreateTempSubdirectory("mcp-test-").FullName;
        Config.Pool.SpareEngines = 0; // tests that want spares ask for them
        configure?.Invoke(Config);
        Time = time ?? TimeProvider.System;
        Factory = new EngineFactory(Config, Time, NullLoggerFactory.Instance);
        Pool = new EnginePool(Factory, Config, Time, NullLogger<EnginePool>.Instance);
        Sessions = new SessionRegistry(Factory, Pool, Config, Time, NullLoggerFactory.Instance);
        Executor = new CodeExecutor(Sessions, Config, Time, NullLogger<CodeExecutor>.Instance);
    }

    public AppConfig Config { get; }
    public TimeProvider Time { get; }
    public EngineFactory Factory { get; }
    public EnginePool Pool { get; }
    public SessionRegistry Sessions { get; }
    public CodeExecutor Executor { get; }

    public Task<ExecutionOutcome> RunAsync(string code, double? timeoutSeconds = null, CancellationToken cancellationToken = default,
        string? session = null, string identity = CallerIdentity.Local) =>
        Executor.ExecuteAsync(identity, session, code, timeoutSeconds, cancellationToken);

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
        await Sessions.DisposeAsync();
        await Pool.DisposeAsync();
        var root = Config.Engine.WorkRoot;
        Factory.Dispose();
        Directory.Delete(root, recursive: true);
    }
}
