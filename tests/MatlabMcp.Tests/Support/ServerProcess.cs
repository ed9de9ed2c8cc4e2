using ModelContextProtocol.Client;

namespace MatlabMcp.Tests.Support;

/// <summary>Starts the built server over stdio with the official C# SDK client, as an MCP host would.</summary>
internal static class ServerProcess
{
    /// <summary>
    /// How long a client pinned to 2026-07-28 waits for server/discover. The SDK's 5 s default reads a server still
    /// starting on a loaded 2-core machine as one that needs initialize, and the pinned client then refuses it.
    /// </summary>
    public static readonly TimeSpan DiscoverProbe = TimeSpan.FromSeconds(60);

    public static Task<McpClient> ConnectStdioAsync(string? command = null, IReadOnlyList<string>? arguments = null,
        IDictionary<string, string?>? environment = null, McpClientOptions? clientOptions = null)
    {
        // Each server makes (and removes) its own matlab-mcp-<pid> folder under this shared root.
        var workRoot = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "mcp-e2e")).FullName;
        var env = new Dictionary<string, string?>
        {
            ["MATLAB_MCP_ENGINE__WORK_ROOT"] = workRoot,
            ["MATLAB_MCP_JOBS__DATABASE"] = Path.Combine(workRoot, $"jobs-{Guid.NewGuid():N}.db"),
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            env[key] = value;
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "matlab-mcp",
            Command = command ?? "dotnet",
            Arguments = [.. arguments ?? [Repo.ServerDll]],
            EnvironmentVariables = env,
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        });
        return McpClient.CreateAsync(transport, clientOptions);
    }

    public static Dictionary<string, object?> Args(params (string Name, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => p.Value);
}
