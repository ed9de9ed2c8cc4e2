using System.Diagnostics;
using MatlabMcp.Configuration;
using MatlabMcp.Pool;

namespace MatlabMcp.Security;

/// <summary>
/// Wraps engine launches in bubblewrap and resource limits. Inside, an engine sees a read-only system, a
/// private /tmp, no network, no other processes, and writes only its own session folder, which it sees at
/// <c>&lt;work root&gt;/session</c>; the work root (every other session and pipe), HOME, the config file, the
/// tokens file and the job database are hidden. When the server runs as root, engines run as
/// sandbox.engine_user, because process limits do not bind root.
/// </summary>
internal sealed class EngineSandbox
{
    private readonly SandboxOptions _options;
    private readonly string? _bwrap;

    public EngineSandbox(AppConfig config)
    {
        _options = config.Sandbox;
        HiddenPaths = [.. HiddenByDefault(config), .. _options.HiddenPaths];
        if (Native.EffectiveUserId() == 0)
            EngineUser = LookUpUser(_options.EngineUser)
                ?? throw new ConfigException($"sandbox.engine_user '{_options.EngineUser}' does not exist on this machine.");
        if (!_options.Enabled)
        {
            Status = "off (sandbox.enabled is false): engines can reach the network and every file the server user can";
            return;
        }
        _bwrap = EngineLaunch.FindOnPath("bwrap");
        var problem = _bwrap is null ? "bubblewrap (bwrap) is not installed" : Probe(_bwrap);
        if (problem is null)
        {
            IsActive = true;
            Status = "bubblewrap";
            return;
        }
        _bwrap = null;
        if (!_options.AllowUnsandboxed)
            throw new ConfigException($"The engine sandbox cannot run: {problem}. Install bubblewrap (the README's first command does) " +
                "or, knowing engines will then run unconfined, set sandbox.allow_unsandboxed: true.");
        Status = $"UNSANDBOXED ({problem}; allowed by sandbox.allow_unsandboxed)";
    }

    /// <summary>True when engines run inside bubblewrap.</summary>
    public bool IsActive { get; }

    /// <summary>One line for the start-up log and /health.</summary>
    public string Status { get; }

    /// <summary>The unprivileged (uid, gid) engines run as when the server is root; null otherwise.</summary>
    public (int Uid, int Gid)? EngineUser { get; }

    public IReadOnlyList<string> HiddenPaths { get; }

    /// <summary>Makes a folder (or pipe) usable by the engine user.</summary>
    public void Prepare(string path)
    {
        if (EngineUser is { } user)
            Native.ChangeOwner(path, user.Uid, user.Gid);
    }

    /// <summary>Where the engine sees its session folder.</summary>
    public static string InsideFolder(string workRoot) => Path.Combine(workRoot, "session");

    /// <summary>The launcher chain: setsid, setpriv (parent-death signal, engine user), prlimit, bwrap, then the engine.</summary>
    public void Wrap(ProcessStartInfo info, EngineLaunch launch, string workRoot, string executable, IReadOnlyList<string> engineCommand)
    {
        var chain = new List<string>();
        // setsid: a Ctrl-C in the server's terminal must not reach engines (we interrupt them ourselves).
        if (EngineLaunch.FindOnPath("setsid") is { } setsid)
            chain.Add(setsid);
        // setpriv: the engine dies with the server even on kill -9 (see ProcessSpawner), as the engine user.
        if (EngineLaunch.FindOnPath("setpriv") is { } setpriv)
        {
            chain.AddRange([setpriv, "--pdeathsig", "KILL"]);
            if (EngineUser is { } user)
                chain.AddRange([$"--reuid={user.Uid}", $"--regid={user.Gid}", "--clear-groups"]);
            chain.Add("--");
            // The death signal only covers a parent alive when it was set: if the server died in between,
            // the launcher has been re-parented, so give up instead of starting an engine nobody owns.
            chain.AddRange(["/bin/sh", "-c", $"[ \"$PPID\" = \"{Environment.ProcessId}\" ] || exit 97; exec \"$@\"", "sh"]);
        }
        if (EngineLaunch.FindOnPath("prlimit") is { } prlimit && Limits() is { Count: > 0 } limits)
            chain.AddRange([prlimit, .. limits, "--"]);
        if (IsActive)
            chain.AddRange(BubblewrapArguments(launch, workRoot, executable));
        chain.AddRange(engineCommand);
        info.FileName = chain[0];
        foreach (var argument in chain.Skip(1))
            info.ArgumentList.Add(argument);
        if (EngineUser is not null || IsActive)
            info.Environment["HOME"] = "/tmp";
    }

    private List<string> BubblewrapArguments(EngineLaunch launch, string workRoot, string executable)
    {
        var inside = InsideFolder(workRoot);
        var args = new List<string>
        {
            _bwrap!, "--die-with-parent", "--unshare-all", "--new-session",
            "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--tmpfs", "/tmp",
        };
        // Hide first (tmpfs over folders, /dev/null over files), then bind what this engine may use.
        foreach (var hidden in HiddenPaths.Append(workRoot).Distinct())
        {
            if (Directory.Exists(hidden))
                args.AddRange(["--tmpfs", hidden]);
            else if (File.Exists(hidden))
                args.AddRange(["--ro-bind", "/dev/null", hidden]);
        }
        args.AddRange(["--ro-bind", launch.BridgeFolder, launch.BridgeFolder]);
        // An engine installed under a hidden path (e.g. a stand-in or a private install) must stay reachable.
        if (Path.GetDirectoryName(executable) is { } executableFolder)
            args.AddRange(["--ro-bind", executableFolder, executableFolder]);
        args.AddRange(["--bind", launch.RequestPipe, launch.RequestPipe, "--bind", launch.ResponsePipe, launch.ResponsePipe]);
        args.AddRange(["--bind", launch.WorkingFolder, inside, "--chdir", inside, "--"]);
        return args;
    }

    private List<string> Limits()
    {
        var limits = new List<string>();
        if (_options.MemoryMb > 0)
            limits.Add($"--as={(long)_options.MemoryMb * 1024 * 1024}");
        if (_options.CpuSeconds > 0)
            limits.Add($"--cpu={_options.CpuSeconds}");
        if (_options.MaxProcesses > 0)
            limits.Add($"--nproc={_options.MaxProcesses}");
        if (_options.MaxFileSizeMb > 0)
            limits.Add($"--fsize={(long)_options.MaxFileSizeMb * 1024 * 1024}");
        return limits;
    }

    private static IEnumerable<string> HiddenByDefault(AppConfig config)
    {
        var home = Environment.GetEnvironmentVariable("HOME");
        if (home is { Length: > 1 })
            yield return home;
        if (config.SourcePath is { } source)
            yield return source;
        if (config.Auth.TokensFile.Length > 0)
            yield return Path.GetFullPath(config.Auth.TokensFile);
        yield return Path.GetDirectoryName(Path.GetFullPath(config.Jobs.DatabasePath))!;
    }

    /// <summary>Runs bubblewrap once, as the engine user, to prove namespaces work here; the problem or null.</summary>
    private string? Probe(string bwrap)
    {
        var command = new List<string>();
        if (EngineUser is { } user && EngineLaunch.FindOnPath("setpriv") is { } setpriv)
            command.AddRange([setpriv, $"--reuid={user.Uid}", $"--regid={user.Gid}", "--clear-groups", "--"]);
        command.AddRange([bwrap, "--unshare-all", "--ro-bind", "/", "/", "--", "/bin/true"]);
        var info = new ProcessStartInfo(command[0], command.Skip(1)) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : $"bubblewrap failed a trial run ({error.Trim()})";
    }

    private static (int, int)? LookUpUser(string name)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length > 3 && fields[0] == name && int.TryParse(fields[2], out var uid) && int.TryParse(fields[3], out var gid))
                return (uid, gid);
        }
        return null;
    }
}
