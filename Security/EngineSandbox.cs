using System.Diagnostics;
using MatlabMcp.Configuration;

namespace MatlabMcp.Security;

/// <summary>
/// Wraps engine launches in bubblewrap and resource limits. Inside, an engine sees a minimal read-only view of the
/// host (<see cref="SandboxView"/>), a private /tmp, no network, no other processes, and writes only its own session
/// folder, which it sees at <c>&lt;work root&gt;/session</c>. When the server runs as root, each engine runs as a uid of
/// its own from sandbox.engine_uid_range (<see cref="EngineUids"/>), because process limits do not bind root and
/// bind a shared user only as a whole.
/// </summary>
internal sealed class EngineSandbox
{
    private readonly SandboxOptions _options;
    private readonly string? _bwrap;
    private readonly EngineUids? _uids;

    public EngineSandbox(AppConfig config)
    {
        _options = config.Sandbox;
        HiddenPaths = [.. HiddenByDefault(config), .. _options.HiddenPaths];
        ReadOnlyPaths = [.. _options.ReadOnlyPaths.Select(ReadOnlyPath), .. config.Execution.ProjectFolders.Select(f => ReadOnlyPath(CodePaths.RealPath(f) ?? f)),
            .. config.CustomTools.Tools().Select(t => ReadOnlyPath(CodePaths.RealPath(t.Folder) ?? t.Folder))];
        if (Ownership.EffectiveUserId() == 0)
        {
            if (_options.EngineUidRange.Length > 0)
            {
                _uids = EngineUids.Create(_options, config.Pool.MaxEngines);
                Budget = $"per engine: each runs as its own uid from {_uids.First}-{_uids.Last} (sandbox.engine_uid_range)"
                    + MachineShare(config.Pool.MaxEngines, _options.MaxProcesses);
            }
            else
            {
                EngineUser = LookUpUser(_options.EngineUser)
                    ?? throw new ConfigException($"sandbox.engine_user '{_options.EngineUser}' does not exist on this machine.");
                Budget = $"shared: every engine runs as '{_options.EngineUser}' (sandbox.engine_uid_range is empty), so " +
                    "sandbox.max_processes bounds all engines together";
            }
        }
        else
            Budget = $"shared: the server is not root, so every engine runs as the server's user and sandbox.max_processes " +
                "counts all of that user's processes; run the server as root for a budget per engine";
        if (!_options.Enabled)
        {
            Status = "off (sandbox.enabled is false): engines can reach the network and every file the server user can";
            return;
        }
        _bwrap = Platform.FindOnPath("bwrap");
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

    /// <summary>How the process limit applies (per engine or shared), for the start-up log.</summary>
    public string Budget { get; }

    /// <summary>The shared unprivileged (uid, gid) engines run as when the server is root without a uid range; null otherwise.</summary>
    public (int Uid, int Gid)? EngineUser { get; }

    public IReadOnlyList<string> HiddenPaths { get; }

    /// <summary>sandbox.read_only_paths, execution.project_folders and the custom tools' folders (custom_tools.file), absolute.</summary>
    public IReadOnlyList<string> ReadOnlyPaths { get; }

    /// <summary>sandbox.pass_env: names passed to engines besides the fixed allow-list.</summary>
    public IReadOnlyList<string> PassEnv => _options.PassEnv;

    /// <summary>
    /// A uid of its own for the next engine (the one that owns <paramref name="folder"/> when it is free, so a restarted
    /// engine of a session keeps its files' owner), or null when engines do not get one (not root, or no range).
    /// Throws <see cref="UidRangeExhaustedException"/> when every uid is taken.
    /// </summary>
    public EngineAccount? Allocate(string folder)
    {
        if (_uids is null)
            return null;
        return _uids.Allocate(Ownership.LinkStatus(folder)?.Uid)
            ?? throw new UidRangeExhaustedException($"Every engine uid in sandbox.engine_uid_range ({_uids.First}-{_uids.Last}) is in use. " +
                "Close a session you no longer need (close_session) or ask the operator to widen the range.");
    }

    /// <summary>Makes a pipe or file usable by the engine's user.</summary>
    public void Prepare(string path, EngineAccount? account)
    {
        if (account is not null)
            Ownership.ChangeOwner(path, account.Uid, account.Gid);
        else if (EngineUser is { } user)
            Ownership.ChangeOwner(path, user.Uid, user.Gid);
    }

    /// <summary>
    /// Hands a folder to the engine that will work in it: the folder and everything in it that an earlier engine
    /// owned, and what the server itself put there (uploads before the session's first engine, spilled output, figure
    /// data: the engine must be able to rewrite its own data files). Links are changed themselves, never followed, and a
    /// file with other hard links is left alone: either could reach a file outside the folder. The server's own links
    /// (it makes none) stay its own.
    /// </summary>
    public void Adopt(string folder, EngineAccount? account)
    {
        if (account is null)
        {
            Prepare(folder, null);
            return;
        }
        if (Ownership.LinkStatus(folder) is { Uid: var owner } && owner == account.Uid)
            return; // this session's own uid again: nothing changes hands
        Ownership.ChangeOwner(folder, account.Uid, account.Gid);
        var pending = new Stack<string>([folder]);
        while (pending.Count > 0)
        {
            IEnumerable<string> entries;
            try
            {
                entries = [.. Directory.EnumerateFileSystemEntries(pending.Pop())];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var entry in entries)
            {
                if (Ownership.LinkStatus(entry) is not { } status || !(IsEngineId(status.Uid) || IsServersOwn(status)))
                    continue;
                if (status.Type == Ownership.DirectoryType)
                    pending.Push(entry);
                else if (status.Links > 1 && status.Type != Ownership.LinkType)
                    continue;
                Ownership.TryChangeOwnerOfLink(entry, account.Uid, account.Gid);
            }
        }
    }

    private bool IsEngineId(int uid) => _uids is not null && uid >= _uids.First && uid <= _uids.Last;

    private static bool IsServersOwn((int Uid, UnixFileMode Type, int Links) status) =>
        status.Uid == Ownership.EffectiveUserId() && status.Type != Ownership.LinkType;

    /// <summary>Where the engine sees its session folder.</summary>
    public static string InsideFolder(string workRoot) => Path.Combine(workRoot, "session");

    /// <summary>
    /// The launcher chain: setsid, setpriv (parent-death signal, the engine's uid), sh (opens bwrap's argument file),
    /// prlimit, bwrap, then the engine. bwrap reads its mounts from that file (--args), not its command line: its
    /// init is pid 1 inside, and /proc/1/cmdline would otherwise list every host path mounted.
    /// </summary>
    public void Wrap(ProcessStartInfo info, SandboxLaunch launch, string workRoot, string executable, IReadOnlyList<string> engineCommand)
    {
        var chain = new List<string>();
        var script = "";
        // setsid: a Ctrl-C in the server's terminal must not reach engines (we interrupt them ourselves), and the
        // engine's session finds its children when it is not sandboxed (EngineProcesses).
        if (Platform.FindOnPath("setsid") is { } setsid)
            chain.Add(setsid);
        // setpriv: the engine dies with the server even on kill -9 (see ProcessSpawner), as the engine's user.
        if (Platform.FindOnPath("setpriv") is { } setpriv)
        {
            chain.AddRange([setpriv, "--pdeathsig", "KILL"]);
            if (launch.Account is { } account)
                chain.AddRange([$"--reuid={account.Uid}", $"--regid={account.Gid}", "--clear-groups"]);
            else if (EngineUser is { } user)
                chain.AddRange([$"--reuid={user.Uid}", $"--regid={user.Gid}", "--clear-groups"]);
            chain.Add("--");
            // The death signal only covers a parent alive when it was set: if the server died in between,
            // the launcher has been re-parented, so give up instead of starting an engine nobody owns.
            script = $"[ \"$PPID\" = \"{Environment.ProcessId}\" ] || exit 97; ";
        }
        var arguments = IsActive && launch.ArgumentsFile is { } file;
        if (arguments)
            script += "exec 3<\"$1\"; shift; ";
        if (script.Length > 0)
            chain.AddRange(["/bin/sh", "-c", script + "exec \"$@\"", "sh"]);
        if (arguments)
            chain.Add(launch.ArgumentsFile!);
        if (Platform.FindOnPath("prlimit") is { } prlimit && Limits() is { Count: > 0 } limits)
            chain.AddRange([prlimit, .. limits, "--"]);
        if (IsActive)
        {
            var inside = InsideFolder(workRoot);
            var mounts = SandboxView.Arguments(launch, workRoot, inside, executable, ReadOnlyPaths, HiddenPaths);
            if (arguments)
            {
                File.WriteAllText(launch.ArgumentsFile!, string.Concat(mounts.Select(a => a + '\0')));
                File.SetUnixFileMode(launch.ArgumentsFile!, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                Prepare(launch.ArgumentsFile!, launch.Account);
                chain.AddRange([_bwrap!, "--args", "3", "--"]);
            }
            else
                chain.AddRange([_bwrap!, .. mounts, "--"]);
        }
        chain.AddRange(engineCommand);
        info.FileName = chain[0];
        foreach (var argument in chain.Skip(1))
            info.ArgumentList.Add(argument);
    }

    /// <summary>Budgets per engine add up: a warning when all engines at their limit would take most of the machine's pids.</summary>
    private static string MachineShare(int engines, int processes)
    {
        var total = (long)engines * processes;
        return processes == 0 ? "; WARNING: sandbox.max_processes is 0, so one engine can take every pid on the machine"
            : File.Exists("/proc/sys/kernel/pid_max") && long.TryParse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), out var pidMax)
                && total > pidMax / 2
                ? $"; WARNING: pool.max_engines x sandbox.max_processes = {total} is more than half of kernel.pid_max ({pidMax})"
                : "";
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

    private static string ReadOnlyPath(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        if (!Path.Exists(full))
            throw new ConfigException($"sandbox.read_only_paths: '{path}' does not exist.");
        return full.Length == 0 ? "/" : full;
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

    /// <summary>Runs bubblewrap once, as an engine would run, to prove namespaces work here; the problem or null.</summary>
    private string? Probe(string bwrap)
    {
        var command = new List<string>();
        // A uid is held like an engine's for the trial: a uid nobody holds may be swept (killed) by another allocation.
        using var account = _uids?.Allocate(null);
        var user = account is not null ? (account.Uid, account.Gid) : EngineUser;
        if (user is { } id && Platform.FindOnPath("setpriv") is { } setpriv)
            command.AddRange([setpriv, $"--reuid={id.Item1}", $"--regid={id.Item2}", "--clear-groups", "--"]);
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
