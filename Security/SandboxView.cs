namespace MatlabMcp.Security;

/// <summary>
/// What an engine sees of the host: the system it runs on (/usr and the merged-usr links, the loader's cache, fonts,
/// the handful of /etc files an Octave start and a plot read, found by tracing one with strace), the engine's own
/// installation, sandbox.read_only_paths, the bridge folder, its two pipes and its session folder. Nothing else
/// exists inside: not /home, /root, /srv, /opt, /var (but for the font and ghostscript caches), nor other checkouts.
/// The root itself is read-only; only /tmp (private) and the session folder are writable.
/// </summary>
internal static class SandboxView
{
    /// <summary>Directories bound read-only when present: the system, and caches a plot would otherwise rebuild per engine.</summary>
    private static readonly string[] SystemFolders =
    [
        "/usr", "/etc/alternatives", "/etc/fonts", "/etc/ld.so.conf.d", "/etc/ghostscript", "/etc/gnuplot",
        "/var/cache/fontconfig", "/var/lib/ghostscript",
        // OpenBLAS and libnuma size their thread pools from these.
        "/sys/devices/system/cpu", "/sys/devices/system/node",
    ];

    /// <summary>/etc files a start reads. Not /etc/passwd or /etc/group: the engine has no need to list the host's users.</summary>
    private static readonly string[] SystemFiles =
    [
        "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/timezone", "/etc/nsswitch.conf", "/etc/papersize",
        "/etc/octaverc", "/etc/mime.types", "/etc/locale.alias",
    ];

    /// <summary>Top-level names that are symbolic links into /usr on a merged-usr system, and folders of their own otherwise.</summary>
    private static readonly string[] UsrLinks = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    /// <summary>bwrap's mount arguments for one engine (everything but the command).</summary>
    public static List<string> Arguments(SandboxLaunch launch, string workRoot, string inside, string executable,
        IReadOnlyList<string> readOnlyPaths, IReadOnlyList<string> hiddenPaths)
    {
        var args = new List<string> { "--unshare-all", "--die-with-parent", "--new-session" };
        var bound = new List<string>();
        void ReadOnly(string path)
        {
            if (bound.Any(b => Within(path, b)))
                return;
            args.AddRange(["--ro-bind", path, path]);
            bound.Add(path);
        }
        foreach (var folder in SystemFolders.Where(Directory.Exists))
            ReadOnly(folder);
        foreach (var link in UsrLinks)
        {
            if (new FileInfo(link).LinkTarget is { } target)
                args.AddRange(["--symlink", target, link]);
            else if (Directory.Exists(link))
                ReadOnly(link);
        }
        foreach (var file in SystemFiles.Where(File.Exists))
            ReadOnly(file);
        args.AddRange(["--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--tmpfs", "/tmp"]);
        foreach (var path in readOnlyPaths)
            ReadOnly(path);
        ReadOnly(InstallationFolder(executable));
        // Inside a bound folder the server's own secrets (config, tokens, job database, HOME) are masked:
        // an empty tmpfs over a folder, /dev/null over a file. Outside every bound folder they do not exist anyway.
        foreach (var hidden in hiddenPaths.Where(h => bound.Any(b => Within(h, b))).Distinct())
        {
            if (Directory.Exists(hidden))
                args.AddRange(["--tmpfs", hidden]);
            else if (File.Exists(hidden))
                args.AddRange(["--ro-bind", "/dev/null", hidden]);
        }
        // The work root is an empty tmpfs holding only this engine's bridge, pipes and session folder.
        args.AddRange(["--tmpfs", workRoot, "--ro-bind", launch.BridgeFolder, launch.BridgeFolder]);
        args.AddRange(["--bind", launch.RequestPipe, launch.RequestPipe, "--bind", launch.ResponsePipe, launch.ResponsePipe]);
        args.AddRange(["--bind", launch.WorkingFolder, inside, "--remount-ro", "/", "--chdir", inside]);
        return args;
    }

    /// <summary>
    /// The folder the engine is installed in: the executable's own folder (links resolved), or, for an executable in
    /// the bin folder of an installation (a MATLAB root, an Octave prefix such as /opt/octave-9), that whole
    /// installation, which the engine loads its libraries, scripts and toolboxes from.
    /// </summary>
    private static string InstallationFolder(string executable)
    {
        var real = new FileInfo(executable).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? executable;
        var folder = Path.GetDirectoryName(real) ?? "/";
        var prefix = Path.GetDirectoryName(folder);
        return Path.GetFileName(folder) == "bin" && prefix is not null
            && (File.Exists(Path.Combine(prefix, "VersionInfo.xml")) || Directory.Exists(Path.Combine(prefix, "share", "octave")))
            ? prefix : folder;
    }

    private static bool Within(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);
}
