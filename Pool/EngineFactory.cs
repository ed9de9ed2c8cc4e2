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
        SpareFolder = Directory.CreateDirectory(Path.Combine(Root, "spare")).FullName;
    }

    public string Root { get; }
    public string PipesFolder { get; }
    public string SessionsFolder { get; }

    /// <summary>Where warm spares wait before a session claims them (they cd to its folder).</summary>
    public string SpareFolder { get; }

    /// <summary>Where mcp_bridge.m and its helpers are installed beside the server binary.</summary>
    public static string BridgeFolder => Path.Combine(AppContext.BaseDirectory, "matlab");

    /// <summary>A fresh folder for one identity's session; the identity part is made path-safe and unique.</summary>
    public string CreateSessionFolder(string identity, string session)
    {
        var safe = new string([.. identity.Take(32).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identity)))[..8];
        return Directory.CreateDirectory(Path.Combine(SessionsFolder, $"{safe}-{hash}", session)).FullName;
    }

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
