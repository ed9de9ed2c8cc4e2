namespace MatlabMcp.Tests.Support;

/// <summary>Finds the server and engine processes from outside (engines in a pid namespace cannot tell their real pid).</summary>
internal static class ProcessTree
{
    /// <summary>The server process whose environment holds this (unique) job database path.</summary>
    public static int FindServer(string jobsDatabase)
    {
        var marker = $"MATLAB_MCP_JOBS__DATABASE={jobsDatabase}";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains(marker))
                    return pid;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        throw new InvalidOperationException($"no server process with {marker}");
    }

    /// <summary>Every live descendant of a process.</summary>
    public static List<int> Descendants(int pid)
    {
        var found = new List<int>();
        var queue = new Queue<int>([pid]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var task in SafeDirectories($"/proc/{current}/task"))
                foreach (var child in SafeRead($"{task}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    if (int.TryParse(child, out var c))
                    {
                        found.Add(c);
                        queue.Enqueue(c);
                    }
        }
        return found;
    }

    /// <summary>State and command line, for failure messages.</summary>
    public static string Describe(int pid) =>
        $"{SafeRead($"/proc/{pid}/stat").Split(' ').Skip(2).FirstOrDefault()} {SafeRead($"/proc/{pid}/cmdline").Replace('\0', ' ')}".Trim();

    public static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !SafeRead($"/proc/{pid}/stat").Contains(") Z ");

    private static IEnumerable<string> SafeDirectories(string path) =>
        Directory.Exists(path) ? Directory.EnumerateDirectories(path) : [];

    private static string SafeRead(string path)
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
