using MatlabMcp.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints.CustomTools;

internal static class CustomToolRegistration
{
    /// <summary>
    /// One MCP tool per entry of custom_tools.file (already read and checked by the configuration), and the start-up check
    /// that no custom tool takes the name of one of the server's own: the SDK keeps the first tool of a name and drops the
    /// other without a word, so a clash would silently hide a tool.
    /// </summary>
    public static IMcpServerBuilder WithCustomTools(this IMcpServerBuilder builder, CustomToolsOptions options)
    {
        foreach (var definition in options.Tools())
            builder.Services.AddSingleton<McpServerTool>(services => new CustomTool(definition, services.GetRequiredService<CodeRunner>()));
        builder.Services.AddSingleton<IValidateOptions<McpServerOptions>>(services =>
            new CustomToolNameCheck(services.GetServices<McpServerTool>(), options.File));
        builder.Services.AddOptions<McpServerOptions>().ValidateOnStart();
        return builder;
    }
}

/// <summary>
/// Refuses to start when a custom tool is named like a tool of the server's own (case aside: some clients fold case). The
/// server's tools are read from the registered collection, so a tool added later is covered without a list to keep.
/// </summary>
internal sealed class CustomToolNameCheck(IEnumerable<McpServerTool> tools, string file) : IValidateOptions<McpServerOptions>
{
    public ValidateOptionsResult Validate(string? name, McpServerOptions options)
    {
        var all = tools.ToList();
        var own = all.Where(t => t is not CustomTool).Select(t => t.ProtocolTool.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var clashes = all.OfType<CustomTool>().Where(t => own.Contains(t.ProtocolTool.Name)).Select(t =>
            $"custom_tools.file ({Path.GetFullPath(file)}): tool '{t.ProtocolTool.Name}' has the name of one of the server's own tools; " +
            $"rename it. The server's tools: {string.Join(", ", own.Order(StringComparer.Ordinal))}.").ToList();
        return clashes.Count > 0 ? ValidateOptionsResult.Fail(clashes) : ValidateOptionsResult.Success;
    }
}
