using MatlabMcp.Configuration;
using MatlabMcp.Jobs;
using MatlabMcp.Pool;
using Microsoft.Extensions.Logging.Abstractions;

namespace MatlabMcp.Tests.Support;

/// <summary>A real Octave behind the real bridge, with its own work folder; disposed with the test.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public EngineHarness(Action<AppConfig>? configure = null)
    {
        Config = new AppConfig();
        Config.Engine.WorkRoot = Directory.CreateTempSubdirectory("mcp-test-").FullName;
        configure?.Invoke(Config);
        Factory = new EngineFactory(Config, TimeProvider.System, NullLoggerFactory.Instance);
        Sessions = new SessionRegistry(Factory, NullLoggerFactory.Instance);
        Executor = new CodeExecutor(Sessions, Config, TimeProvider.System, NullLogger<CodeExecutor>.Instance);
    }

    public AppConfig Config { get; }
    public EngineFactory Factory { get; }
    public SessionRegistry Sessions { get; }
    public CodeExecutor Executor { get; }

    public Task<ExecutionOutcome> RunAsync(string code, double? timeoutSeconds = null, CancellationToken cancellationToken = default) =>
        Executor.ExecuteAsync(code, timeoutSeconds, cancellationToken);

    /// <summary>The process id of the default session's engine (starting it if needed).</summary>
    public async Task<int> EnginePidAsync()
    {
        using var lease = await Sessions.Get().AcquireAsync(CancellationToken.None);
        return lease.Engine.ProcessId;
    }

    public async ValueTask DisposeAsync()
    {
        await Sessions.DisposeAsync();
        var root = Config.Engine.WorkRoot;
        Factory.Dispose();
        Directory.Delete(root, recursive: true);
    }
}
