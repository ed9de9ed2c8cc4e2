namespace MatlabMcp.Tests.Support;

/// <summary>The host's process table as a test sees it: by command line, by pid namespace, by owner.</summary>
internal static class HostProcesses
{
    /// <summary>Live (not zombie) processes whose argv is exactly these words.</summary>
    public static List<int> WithCommandLine(params string[] argv)
    {
        var wanted = string.Join('\0', argv) + "\0";
        return [.. All().Where(pid => Read($"/proc/{pid}/cmdline") == wanted && ProcessTree.Alive(pid))];
    }

    /// <summary>Live processes in the same pid namespace as <paramref name="pid"/>.</summary>
    public static List<int> InNamespaceOf(int pid)
    {
        var ns = Namespace(pid) ?? throw new InvalidOperationException($"process {pid} is gone");
        return [.. All().Where(p => Namespace(p) == ns && ProcessTree.Alive(p))];
    }

    /// <summary>
    /// Live Octave engines started under a server's work root (<see cref="MatlabMcp.Pool.EngineFactory.Root"/>): the server
    /// sets each engine's HOME to its folder there, and every harness has a root of its own.
    /// </summary>
    public static List<int> EnginesUnder(string workRoot) =>
        [.. All().Where(pid => Read($"/proc/{pid}/comm").StartsWith("octave", StringComparison.Ordinal)
            && Read($"/proc/{pid}/environ").Split('\0').Any(v => v.StartsWith($"HOME={workRoot}/", StringComparison.Ordinal))
            && ProcessTree.Alive(pid))];

    /// <summary>The real uid a process runs as, or -1 when it is gone.</summary>
    public static int Uid(int pid) =>
        Read($"/proc/{pid}/status").Split('\n').FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal)) is { } line
            ? int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]) : -1;

    private static string? Namespace(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/pid").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IEnumerable<int> All()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid))
                yield return pid;
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
