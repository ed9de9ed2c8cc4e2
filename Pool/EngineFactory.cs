using MatlabMcp.Configuration;
using Microsoft.Extensions.Logging;

namespace MatlabMcp.Pool;

/// <summary>Lays out the server's folders and starts engines in them.</summary>
internal sealed class EngineFactory : IDisposable
{
    private readonly AppConfig _config;
    private readonly ProcessSpawner _spawner = new();
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private int _engineCount;

    public EngineFactory(AppConfig config, TimeProvider time, ILoggerFactory loggers)
    {
        _config = config;
        _time = time;
        _loggers = loggers;
        var root = config.Engine.WorkRoot.Length > 0 ? config.Engine.WorkRoot : Path.GetTempPath();
        // One folder per server process, so two servers on one machine never share session folders.
        Root = Path.Combine(root, $"matlab-mcp-{Environment.ProcessId}");
        PipesFolder = Directory.CreateDirectory(Path.Combine(Root, "pipes")).FullName;
        SessionsFolder = Directory.CreateDirectory(Path.Combine(Root, "sessions")).FullName;
    }

    public string Root { get; }
    public string PipesFolder { get; }
    public string SessionsFolder { get; }

    /// <summary>Where mcp_bridge.m and its helpers are installed beside the server binary.</summary>
    public static string BridgeFolder => Path.Combine(AppContext.BaseDirectory, "matlab");

    public string CreateSessionFolder(string session) =>
        Directory.CreateDirectory(Path.Combine(SessionsFolder, session)).FullName;

    public Task<Engine> StartAsync(string workingFolder, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _engineCount);
        var launch = new EngineLaunch(workingFolder,
            Path.Combine(PipesFolder, $"{n}.req"), Path.Combine(PipesFolder, $"{n}.resp"), BridgeFolder);
        return Engine.StartAsync(launch, _config.Engine, _spawner, _time, _loggers.CreateLogger<Engine>(), cancellationToken);
    }

    public void Dispose()
    {
        _spawner.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
