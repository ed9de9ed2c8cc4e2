namespace MatlabMcp.Security;

/// <summary>
/// What the sandbox needs of one engine's launch: the host paths it binds in (session folder, pipes, bridge), the uid
/// the engine runs as (null when engines share one), and where bubblewrap's arguments are written (--args).
/// </summary>
internal sealed record SandboxLaunch(string WorkingFolder, string RequestPipe, string ResponsePipe, string BridgeFolder,
    EngineAccount? Account, string? ArgumentsFile);

/// <summary>Every uid of sandbox.engine_uid_range is held by a live engine; the message says what the caller can do.</summary>
internal sealed class UidRangeExhaustedException(string message) : Exception(message);
