using System.Text.Json;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.EndToEnd;

/// <summary>A stdio server with config keys set through the environment, and its process id (found by its own job database).</summary>
internal sealed class ConfiguredServer : IAsyncDisposable
{
    private readonly string _folder;

    private ConfiguredServer(McpClient client, string folder, string database) =>
        (Client, _folder, Database) = (client, folder, database);

    public McpClient Client { get; }
    public string Database { get; }
    public int ProcessId => ProcessTree.FindServer(Database);

    /// <summary>Keys as "section__key" (e.g. "execution__sync_timeout"), values as in YAML.</summary>
    public static async Task<ConfiguredServer> StartAsync(params (string Key, string Value)[] settings)
    {
        var folder = Directory.CreateTempSubdirectory("mcp-e2e-cfg-").FullName;
        var database = Path.Combine(folder, "jobs.db");
        var env = settings.ToDictionary(s => $"MATLAB_MCP_{s.Key.ToUpperInvariant()}", s => (string?)s.Value);
        env["MATLAB_MCP_JOBS__DATABASE"] = database;
        // Pinned to the version today's hosts speak: unpinned, the SDK client probes server/discover with a 5 s limit and,
        // when a loaded machine starts the server slower than that, races into an initialize the server then refuses.
        var client = await ServerProcess.ConnectStdioAsync(environment: env,
            clientOptions: new McpClientOptions { ProtocolVersion = "2025-11-25", DiscoverProbeTimeout = ServerProcess.DiscoverProbe });
        return new ConfiguredServer(client, folder, database);
    }

    public Task<CallToolResult> CallAsync(string tool, params (string Name, object? Value)[] arguments) =>
        Client.CallToolAsync(tool, ServerProcess.Args(arguments)).AsTask();

    public static string Text(CallToolResult result) => StdioServerTests.Text(result);

    public static string? Structured(CallToolResult result, string property) =>
        result.StructuredContent is { } s && s.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
