using MatlabMcp.Configuration;
using MatlabMcp.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MatlabMcp.Pool;

/// <summary>Lays out the server's folders and starts engines in them (sandboxed when the sandbox is on).</summary>
internal sealed partial class EngineFactory : IDisposable
{
    private const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly EngineOptions _options;
    private readonly ProcessSpawner _spawner = new();
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private int _engineCount;

    public EngineFactory(IOptions<EngineOptions> options, EngineSandbox sandbox, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options.Value;
        Sandbox = sandbox;
        _time = time;
        _loggers = loggers;
        var root = _options.WorkRoot.Length > 0 ? _options.WorkRoot : Path.GetTempPath();
        // One folder per server process, so two servers on one machine never share session folders.
        // Traversable by others: an engine running as sandbox.engine_user must reach its own folder and pipes.
        Root = Directory.CreateDirectory(Path.Combine(root, $"matlab-mcp-{Environment.ProcessId}"), Traversable).FullName;
        PipesFolder = Directory.CreateDirectory(Path.Combine(Root, "pipes"), Traversable).FullName;
        SessionsFolder = Directory.CreateDirectory(Path.Combine(Root, "sessions"), Traversable).FullName;
        SparesFolder = Directory.CreateDirectory(Path.Combine(Root, "spares"), Traversable).FullName;
        BridgeFolder = CopyBridge(Path.Combine(AppContext.BaseDirectory, "matlab"), Path.Combine(Root, "bridge"));
        LogBudget(_loggers.CreateLogger<EngineFactory>(), sandbox.Budget);
    }

    public EngineSandbox Sandbox { get; }
    public string Root { get; }
    public string PipesFolder { get; }
    public string SessionsFolder { get; }
    public string SparesFolder { get; }

    /// <summary>mcp_bridge.m and helpers, copied where any engine user can read them (the install may be private).</summary>
    public string BridgeFolder { get; }

    /// <summary>A fresh folder for one identity's session; the identity part is made path-safe and unique.</summary>
    public string CreateSessionFolder(string identity, string session)
    {
        var folder = SessionFolder(identity, session);
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!, Traversable);
        return PrepareFolder(folder);
    }

    /// <summary>Where one identity's session folder is (whether or not it exists now): results read their files from it.</summary>
    public string SessionFolder(string identity, string session)
    {
        var safe = new string([.. identity.Take(32).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identity)))[..8];
        return Path.Combine(SessionsFolder, $"{safe}-{hash}", session);
    }

    /// <summary>A folder for a warm spare; when a new session takes the spare, the folder becomes the session's.</summary>
    public string CreateSpareFolder() => PrepareFolder(Path.Combine(SparesFolder, $"{Interlocked.Increment(ref _engineCount)}"));

    /// <summary>Starts an engine in <paramref name="workingFolder"/>; a <paramref name="spare"/> may be handed to a session later.</summary>
    public async Task<Engine> StartAsync(string workingFolder, CancellationToken cancellationToken, bool spare = false)
    {
        var n = Interlocked.Increment(ref _engineCount);
        // 1. A uid of its own (root only), and the session folder handed to it.
        EngineAccount? account;
        try
        {
            account = Sandbox.Allocate(workingFolder);
        }
        catch (UidRangeExhaustedException e)
        {
            throw new EngineStartException(e.Message); // refused like any start that cannot happen now
        }
        try
        {
            Sandbox.Adopt(workingFolder, account);
            var launch = new EngineLaunch(workingFolder,
                Path.Combine(PipesFolder, $"{n}.req"), Path.Combine(PipesFolder, $"{n}.resp"), BridgeFolder)
            {
                EngineFolder = Sandbox.IsActive ? EngineSandbox.InsideFolder(Root) : workingFolder,
                Sandboxed = Sandbox.IsActive,
                Account = account,
                ArgumentsFile = Path.Combine(PipesFolder, $"{n}.args"),
                ConfinedAtStart = Sandbox.IsActive || !spare,
            };
            // 2. Start it; a failed start disposes the engine, which frees the uid (and this catch covers the rest).
            var engine = await Engine.StartAsync(launch, () => launch.StartInfo(_options, Sandbox, Root),
                pipe => Sandbox.Prepare(pipe, account), _options, _spawner, _time, _loggers.CreateLogger<Engine>(), cancellationToken);
            // 3. bwrap read its arguments long ago (the engine answered): they are no one's business now.
            File.Delete(launch.ArgumentsFile);
            return engine;
        }
        catch
        {
            // A start that failed before an engine existed (not found, spawn error) leaves these to us.
            File.Delete(Path.Combine(PipesFolder, $"{n}.args"));
            account?.Dispose();
            throw;
        }
    }

    private string PrepareFolder(string path)
    {
        Directory.CreateDirectory(path, Traversable);
        Sandbox.Prepare(path, null); // with a uid per engine, the engine that starts here takes the folder (StartAsync)
        return path;
    }

    private static string CopyBridge(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*.m", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!, Traversable);
            File.Copy(file, destination, overwrite: true);
        }
        return Directory.CreateDirectory(target, Traversable).FullName;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "engine process budget (sandbox.max_processes): {Budget}")]
    private static partial void LogBudget(ILogger logger, string budget);
}
