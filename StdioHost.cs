using Microsoft.Extensions.Hosting;

namespace MatlabMcp;

internal static class StdioHost
{
    /// <summary>
    /// The default host, rooted at the install folder rather than the directory the client spawned the server in. The
    /// default configuration reloads appsettings.json on change, which watches the content root recursively: every
    /// subdirectory of the client's working directory got an inotify watch before the host was built (4,136 in /work).
    /// Spawned there, the AOT binary answered initialize after 1,296 ms, against 278-368 ms in an empty directory, and
    /// its first engine started only after that walk. Rooted here, the JIT build holds 57 watches.
    /// </summary>
    public static HostApplicationBuilderSettings Settings() => new() { Args = [], ContentRootPath = AppContext.BaseDirectory };
}
