using MatlabMcp.Configuration;
using MatlabMcp.Output;
using MatlabMcp.Output.Files;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>
/// Session files (figures, cut output, uploads, anything the code wrote) as MCP resources:
/// <c>session://{session}/{+path}</c> (<see cref="SessionResources"/>). A read resolves the session among the caller's
/// own; another identity's URI, a missing file and a refused path all answer the same "not found", so a URI reveals
/// nothing. resources/list lists nothing: files come and go with every call and belong to one identity, so results link
/// them (resource_link) and the template tells a client how to name one; list_files is the listing.
/// One resource object per scheme: the ui:// viewer registers its own beside this one (the SDK routes by template).
/// </summary>
internal static class SessionResourceHandlers
{
    public static IMcpServerBuilder WithSessionResources(this IMcpServerBuilder builder) =>
        builder.WithResources([new SessionFileResource()]);

    /// <summary>The resources/read handler for <c>session://</c>.</summary>
    private sealed class SessionFileResource : McpServerResource
    {
        private static readonly ResourceTemplate Template = new()
        {
            UriTemplate = SessionResources.Template,
            Name = "session-file",
            Title = "A file of one of your sessions",
            Description = "A file in one of your session folders: figures/…, output/… (full text of cut output), uploads and " +
                "files your code wrote. Only your own sessions' files can be read; links to them come in tool results.",
        };

        public override ResourceTemplate ProtocolResourceTemplate => Template;

        public override Resource? ProtocolResource => null;

        public override IReadOnlyList<object> Metadata => [];

        public override bool IsMatch(string uri) => SessionResources.TryParse(uri, out _, out _);

        public override async ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request,
            CancellationToken cancellationToken = default)
        {
            var uri = request.Params?.Uri ?? "";
            if (!SessionResources.TryParse(uri, out var session, out var path) || SessionRegistry.ValidateName(session) is not null
                || FileNames.ValidatePath(path) is not null)
                throw NotFound(uri);
            var services = request.Services ?? throw NotFound(uri);
            var limits = services.GetRequiredService<IOptions<OutputOptions>>().Value;
            var found = services.GetRequiredService<SessionRegistry>().ForFiles(CallerIdentity.Of(request.User), session, create: false, out _);
            using var folder = found is null ? null : ConfinedFolder.Open(found.Folder);
            if (folder is null || folder.OpenRead(path, out var handle, out var kind, out var size) is not null)
                throw NotFound(uri);
            await using var stream = new FileStream(handle!, FileAccess.Read, bufferSize: 0);
            if (kind != FileKind.File)
                throw NotFound(uri);
            if (size > limits.MaxReadBytes)
                throw new McpProtocolException($"{uri} is {size:N0} bytes; resources are returned up to {limits.MaxReadMb:0.##} MB " +
                    "(output.max_read_mb). read_file reads it in parts.", McpErrorCode.InvalidParams);
            var bytes = new byte[size];
            await stream.ReadExactlyAsync(bytes, cancellationToken);
            var head = bytes.AsSpan(0, (int)Math.Min(size, TextFile.SniffBytes));
            ResourceContents contents = MimeTypes.SniffImage(head) is null && TextFile.LooksLikeText(head)
                ? new TextResourceContents { Uri = uri, MimeType = MimeTypes.Of(path), Text = System.Text.Encoding.UTF8.GetString(bytes) }
                : BlobResourceContents.FromBytes(bytes, uri, MimeTypes.SniffImage(head) ?? MimeTypes.Of(path));
            return new ReadResourceResult { Contents = [contents] };
        }

        private static McpProtocolException NotFound(string uri) =>
            new($"Resource not found: {uri}. Only your own sessions' files can be read; list_files shows them.", McpErrorCode.ResourceNotFound);
    }
}
