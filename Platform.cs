// Engines run over named pipes (FIFOs) and POSIX signals; Windows named pipes are future work.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("macos")]

namespace MatlabMcp;

/// <summary>What the server looks up on the host it runs on; any folder may use it.</summary>
internal static class Platform
{
    /// <summary>The first file named <paramref name="name"/> in a folder of PATH, or null: the engine and the sandbox's launcher tools.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
