using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints.Apps;

/// <summary>The MCP Apps extension (io.modelcontextprotocol/ui): the figure viewer resource and execute_code's link to it.</summary>
internal static class AppsSetup
{
    public const string ExtensionId = "io.modelcontextprotocol/ui";

    /// <summary>The tool whose results the viewer draws.</summary>
    public const string ViewerTool = "execute_code";

    public static IMcpServerBuilder WithFigureViewer(this IMcpServerBuilder builder)
    {
        builder.WithResources([new FigureViewerResource()]);
        // After the SDK has filled the tool collection from the registered tools (its own Configure step).
        builder.Services.PostConfigure<McpServerOptions>(options =>
        {
            if (options.ToolCollection?.TryGetPrimitive(ViewerTool, out var tool) == true)
                LinkViewer(tool.ProtocolTool.Meta ??= []);
            options.Capabilities ??= new();
            options.Capabilities.Extensions ??= new Dictionary<string, object>();
            options.Capabilities.Extensions[ExtensionId] = new JsonObject();
        });
        return builder;
    }

    /// <summary>
    /// <c>_meta.ui.resourceUri</c> is the spec's key; hosts also read the deprecated flat <c>ui/resourceUri</c>, and the
    /// TypeScript SDK's registerAppTool writes both, so older hosts find the view too.
    /// </summary>
    private static void LinkViewer(JsonObject meta)
    {
        meta["ui"] = new JsonObject { ["resourceUri"] = FigureViewerResource.Uri };
        meta["ui/resourceUri"] = FigureViewerResource.Uri;
    }
}
