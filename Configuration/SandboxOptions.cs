using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>The engine sandbox (bubblewrap) and resource limits.</summary>
internal sealed class SandboxOptions : IConfigSection<SandboxOptions>
{
    /// <summary>Run engines inside bubblewrap: no network, a minimal read-only view of the host, only their own session folder writable.</summary>
    [ConfigurationKeyName("enabled")] public bool Enabled { get; set; } = true;

    /// <summary>Start anyway (loudly) when bubblewrap is missing or unusable. Off by default: no sandbox, no server.</summary>
    [ConfigurationKeyName("allow_unsandboxed")] public bool AllowUnsandboxed { get; set; }

    /// <summary>When the server runs as root, engines run as this unprivileged user (process limits do not bind root).</summary>
    [ConfigurationKeyName("engine_user")] public string EngineUser { get; set; } = "nobody";

    /// <summary>
    /// When the server runs as root, each live engine runs as its own uid (and gid) from this range, "first-last", so
    /// per-user limits (max_processes) are per engine. No user or subordinate-uid range may own these ids. Empty: every
    /// engine runs as engine_user and they share one process budget.
    /// </summary>
    [ConfigurationKeyName("engine_uid_range")] public string EngineUidRange { get; set; } = "2100000000-2100000999";

    /// <summary>Host paths engines may read (project folders, a MATLAB root), mounted read-only at the same place.</summary>
    [ConfigurationKeyName("read_only_paths")] public string[] ReadOnlyPaths { get; set; } = [];

    /// <summary>Environment variables passed to engines besides the fixed allow-list (PATH, locale, thread settings).</summary>
    [ConfigurationKeyName("pass_env")] public string[] PassEnv { get; set; } = [];

    /// <summary>Address-space limit per engine in MiB (0: none).</summary>
    [ConfigurationKeyName("memory_mb")] public int MemoryMb { get; set; } = 8192;

    /// <summary>CPU-time limit per engine in seconds (0: none; wall time is limited by execution.max_execution_time).</summary>
    [ConfigurationKeyName("cpu_seconds")] public int CpuSeconds { get; set; }

    /// <summary>Processes and threads per engine (RLIMIT_NPROC of its uid; shared by all engines when they share a uid; 0: none).</summary>
    [ConfigurationKeyName("max_processes")] public int MaxProcesses { get; set; } = 512;

    /// <summary>Largest file an engine may write, in MiB (0: none).</summary>
    [ConfigurationKeyName("max_file_size_mb")] public int MaxFileSizeMb { get; set; } = 4096;

    /// <summary>Paths to mask inside folders engines may read (the config file, tokens file, job database and HOME always are); everything outside those folders is absent anyway.</summary>
    [ConfigurationKeyName("hidden_paths")] public string[] HiddenPaths { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        if (MemoryMb < 0 || CpuSeconds < 0 || MaxProcesses < 0 || MaxFileSizeMb < 0)
            yield return "sandbox limits (memory_mb, cpu_seconds, max_processes, max_file_size_mb) must be 0 (no limit) or positive.";
        if (MemoryMb is > 0 and < 512)
            yield return "sandbox.memory_mb below 512 leaves no room for the engine itself; use 0 for no limit.";
        if (EngineUser.Length == 0)
            yield return "sandbox.engine_user must name a user (e.g. nobody).";
        if (EngineUidRange.Length > 0 && !TryParseUidRange(EngineUidRange, out _, out _))
            yield return $"sandbox.engine_uid_range '{EngineUidRange}' must look like \"2100000000-2100000999\" (or be empty: one shared engine_user).";
        foreach (var name in PassEnv.Where(n => n.Length == 0 || n.Contains('=', StringComparison.Ordinal)))
            yield return $"sandbox.pass_env: '{name}' is not a variable name.";
        foreach (var path in ReadOnlyPaths.Where(p => !Path.IsPathRooted(p)))
            yield return $"sandbox.read_only_paths: '{path}' must be an absolute path.";
    }

    /// <summary>"first-last" with 0 &lt; first ≤ last (both below 2^31, clear of the ids the kernel reserves).</summary>
    public static bool TryParseUidRange(string range, out int first, out int last)
    {
        first = last = 0;
        var parts = range.Split('-', StringSplitOptions.TrimEntries);
        return parts.Length == 2 && int.TryParse(parts[0], out first) && int.TryParse(parts[1], out last) && first > 0 && last >= first;
    }
}
