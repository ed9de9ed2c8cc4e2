using MatlabMcp.Configuration;
using MatlabMcp.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints.Guidance;

/// <summary>
/// Two fixed resources for agents: the coding guide of the engine in use (docs/guide-octave.md or docs/guide-matlab.md,
/// embedded, chosen by engine.kind) and the blocked functions with reason and alternative, generated from code_policy
/// and approval on every read (<see cref="BlockedFunctionsGuide"/>).
/// </summary>
internal static class GuideResources
{
    public const string GuideUri = "matlab-mcp://guide";
    public const string BlockedUri = "matlab-mcp://blocked-functions";

    public static IMcpServerBuilder WithGuideResources(this IMcpServerBuilder builder) =>
        builder.WithResources(
        [
            new TextResource(GuideUri, "coding-guide", "Coding guide for this engine",
                "How to write code for this server's engine: the session, Octave/MATLAB differences that bite, tests, what is not available.",
                services => Guide(services.GetRequiredService<IOptions<EngineOptions>>().Value.Kind)),
            new TextResource(BlockedUri, "blocked-functions", "Blocked functions",
                "The functions code may not use here, why, and what to use instead (from this server's code_policy).",
                services => BlockedFunctionsGuide.Markdown(services.GetRequiredService<IOptions<CodePolicyOptions>>().Value,
                    services.GetRequiredService<IOptions<ApprovalOptions>>().Value)),
        ]);

    /// <summary>The guide for <paramref name="kind"/>, from the assembly (see MatlabMcp.csproj: docs/guide-*.md).</summary>
    public static string Guide(EngineKind kind)
    {
        var name = kind == EngineKind.Matlab ? "guide/guide-matlab.md" : "guide/guide-octave.md";
        using var stream = typeof(GuideResources).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the build embeds {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>A fixed URI whose markdown is made when it is read.</summary>
    private sealed class TextResource(string uri, string name, string title, string description, Func<IServiceProvider, string> text)
        : McpServerResource
    {
        private readonly ResourceTemplate _template = new()
        {
            UriTemplate = uri,
            Name = name,
            Title = title,
            Description = description,
            MimeType = "text/markdown",
        };

        public override ResourceTemplate ProtocolResourceTemplate => _template;

        public override Resource? ProtocolResource => new()
        {
            Uri = uri,
            Name = name,
            Title = title,
            Description = description,
            MimeType = "text/markdown",
        };

        public override IReadOnlyList<object> Metadata => [];

        public override bool IsMatch(string candidate) => candidate == uri;

        public override ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request,
            CancellationToken cancellationToken = default)
        {
            var services = request.Services ?? throw new McpProtocolException($"Resource not available: {uri}.", McpErrorCode.InternalError);
            return ValueTask.FromResult(new ReadResourceResult
            {
                Contents = [new TextResourceContents { Uri = uri, MimeType = "text/markdown", Text = text(services) }],
            });
        }
    }
}
