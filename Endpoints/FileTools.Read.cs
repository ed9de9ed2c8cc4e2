using System.ComponentModel;
using System.Text;
using MatlabMcp.Output;
using MatlabMcp.Output.Files;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Win32.SafeHandles;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>read_file and read_data: contents within the output budget, images as images, data files summarised.</summary>
internal sealed partial class FileTools
{
    [McpServerTool(Name = "read_file", Title = "Read a session file", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false)]
    [Description("Reads a file of a session folder. Text: from character 'offset' (default 0) up to 'length' characters, or " +
        "with 'pattern' the lines matching a regular expression (numbered); at most output.max_output_chars characters, " +
        "with a note saying what was left and how to read on. Images (.png, .jpg, .gif) come back as images. Other binary " +
        "files come back as base64 (a blob resource) from byte 'offset', bounded the same way.")]
    public async Task<CallToolResult> ReadFileAsync(
        RequestContext<CallToolRequestParams> request,
        [Description(PathHelp)] string path,
        [Description(CodeTools.SessionHelp)] string? session = null,
        [Description("Where to start: a character for text, a byte for binary (optional, default 0).")] long? offset = null,
        [Description("How many characters (text) or bytes (binary) to return (optional; capped by the output budget).")] int? length = null,
        [Description("A regular expression (.NET syntax): return only the lines that match, with their line numbers (optional).")] string? pattern = null,
        CancellationToken cancellationToken = default)
    {
        if (offset < 0 || length < 0)
            return ResultBuilder.Error("offset and length must be zero or positive.");
        if (OpenFile(request, session, path, out var name, out var handle, out var size) is { } error)
            return error;
        await using var stream = new FileStream(handle!, FileAccess.Read, bufferSize: 0);
        var head = new byte[(int)Math.Min(size, TextFile.SniffBytes)];
        await stream.ReadExactlyAsync(head, cancellationToken);
        stream.Position = 0;
        var budget = Limits.MaxOutputChars;
        if (MimeTypes.SniffImage(head) is { } imageType && pattern is null && offset is null or 0)
        {
            if (size > Limits.MaxReadBytes)
                return ResultBuilder.Error($"'{path}' is a {size:N0}-byte image; images are returned up to {Limits.MaxReadMb:0.##} MB " +
                    "(output.max_read_mb). Save a smaller one (lower resolution) and read that.");
            var image = new byte[size];
            await stream.ReadExactlyAsync(image, cancellationToken);
            return new CallToolResult
            {
                Content = [new TextContentBlock { Text = ClientText.Escape($"'{path}': {imageType}, {size:N0} bytes") }, ImageContentBlock.FromBytes(image, imageType)],
            };
        }
        if (TextFile.LooksLikeText(head))
        {
            if (pattern is not null)
            {
                var (matches, problem) = await TextFile.MatchesAsync(stream, path, pattern, budget, cancellationToken);
                return problem is null ? ResultBuilder.Text(matches) : ResultBuilder.Error(problem);
            }
            return ResultBuilder.Text(await TextFile.RangeAsync(stream, size, path, offset ?? 0, length, budget, cancellationToken));
        }
        if (pattern is not null)
            return ResultBuilder.Error($"'{path}' is a binary file: pattern= searches text only. Read it with offset/length, or with read_data.");
        // Binary: base64 costs 4 characters per 3 bytes, so the budget in characters bounds the bytes.
        var start = Math.Min(offset ?? 0, size);
        var take = (int)Math.Min(Math.Min(size - start, length ?? long.MaxValue), Math.Min(budget / 4 * 3, Limits.MaxReadBytes));
        stream.Position = start;
        var bytes = new byte[take];
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        var end = start + take;
        var note = end < size
            ? $"'{path}': binary, {size:N0} bytes; bytes {start:N0}-{end:N0} below as base64. More follows: read_file with offset={end}" +
              (Path.GetExtension(path).ToLowerInvariant() is ".mat" or ".xlsx" ? ", or read_data for a summary." : ".")
            : $"'{path}': binary, {size:N0} bytes; bytes {start:N0}-{end:N0} (its end) below as base64.";
        return new CallToolResult
        {
            Content =
            [
                new TextContentBlock { Text = ClientText.Escape(note) },
                new EmbeddedResourceBlock { Resource = BlobResourceContents.FromBytes(bytes, SessionResources.Uri(name, path), MimeTypes.Of(path)) },
            ],
        };
    }

    [McpServerTool(Name = "read_data", Title = "Summarise a data file", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false)]
    [Description("Summarises a data file of a session folder without loading it into the workspace. .csv/.tsv: header, " +
        "rows × columns and the first rows; .xlsx: each sheet's size and first rows; .json/.xml: re-indented, .yaml: as text " +
        "(within the output budget); .mat: the variables it holds (name, class, size, bytes), read by the engine; " +
        ".txt and other text: like read_file.")]
    public async Task<CallToolResult> ReadDataAsync(
        RequestContext<CallToolRequestParams> request,
        [Description(PathHelp)] string path,
        [Description(CodeTools.SessionHelp)] string? session = null,
        CancellationToken cancellationToken = default)
    {
        if (OpenFile(request, session, path, out var name, out var handle, out var size) is { } error)
            return error;
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var budget = Limits.MaxOutputChars;
        await using var stream = new FileStream(handle!, FileAccess.Read, bufferSize: 0);
        switch (extension)
        {
            case ".csv" or ".tsv" or ".tab":
                return ResultBuilder.Text(await DelimitedData.SummariseAsync(stream, path, extension == ".csv" ? ',' : '\t', budget, cancellationToken));
            case ".xlsx":
                return ResultBuilder.Text(XlsxData.Summarise(stream, path, budget));
            case ".json" or ".xml" or ".yaml" or ".yml":
                return ResultBuilder.Text(await StructuredText.ShowAsync(stream, size, path, extension, budget, cancellationToken));
            case ".mat":
                await stream.DisposeAsync(); // the engine opens it itself
                return await MatFileAsync(CallerIdentity.Of(request.User), name, path, cancellationToken);
        }
        var head = new byte[(int)Math.Min(size, TextFile.SniffBytes)];
        await stream.ReadExactlyAsync(head, cancellationToken);
        stream.Position = 0;
        if (!TextFile.LooksLikeText(head))
            return ResultBuilder.Error($"read_data summarises .csv, .tsv, .xlsx, .json, .yaml, .xml, .mat and text files; '{path}' is " +
                "binary of another kind. read_file returns its bytes (or the image, for .png/.jpg/.gif).");
        return ResultBuilder.Text(await TextFile.RangeAsync(stream, size, path, 0, null, budget, cancellationToken));
    }

    /// <summary>The variables of a .mat file, by the engine (whos -file: nothing enters the workspace).</summary>
    private async Task<CallToolResult> MatFileAsync(string identity, string session, string path, CancellationToken cancellationToken)
    {
        var max = Limits.MaxWorkspaceVariables;
        try
        {
            using var lease = await sessions.AcquireAsync(identity, session, cancellationToken);
            var response = await lease.Engine.SendAsync(BridgeRequest.MatFile, code: path, maxVariables: max + 1).WaitAsync(cancellationToken);
            if (!response.Ok)
                return ResultBuilder.Error($"'{path}' could not be read as a MAT file: {response.Error?.Message}");
            var variables = response.Variables ?? [];
            var text = new StringBuilder();
            if (lease.Notice is not null)
                text.AppendLine(lease.Notice);
            text.AppendLine(variables.Count == 0 ? $"'{path}' holds no variables." : $"'{path}' holds {(variables.Count > max ? $"more than {max}" : variables.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} variables (not loaded):");
            if (variables.Count > 0)
                text.AppendLine("name\tclass\tsize\tbytes");
            foreach (var v in variables.Take(max))
                text.AppendLine($"{v.Name}\t{v.Class}\t{string.Join('x', v.Size)}\t{v.Bytes}");
            if (variables.Count > max)
                text.Append($"[only the first {max} are listed: output.max_workspace_variables]");
            return ResultBuilder.Text(text.ToString().TrimEnd());
        }
        catch (Exception e) when (e is EngineStartException or EngineDiedException or CapacityException)
        {
            return ResultBuilder.Error($"Could not read '{path}': {e.Message}");
        }
    }

    /// <summary>Opens a session file for reading; an error result when the path is refused, missing or a folder.</summary>
    private CallToolResult? OpenFile(RequestContext<CallToolRequestParams> request, string? session, string path, out string name,
        out SafeFileHandle? handle, out long size)
    {
        (handle, size) = (null, 0);
        if (FileNames.ValidatePath(path) is { } invalid)
        {
            name = session ?? SessionRegistry.DefaultName;
            return ResultBuilder.Error(invalid);
        }
        if (Open(request, session, out name, out var error) is not { } folder)
            return ResultBuilder.Error(error ?? FileProblem.NotFound(path).Message);
        using (folder)
        {
            if (folder.OpenRead(path, out handle, out var kind, out size) is { } problem)
                return ResultBuilder.Error(problem.Message);
            if (kind == FileKind.Folder)
            {
                handle!.Dispose();
                return ResultBuilder.Error($"'{path}' is a folder: list_files with path=\"{path}\" shows what is in it.");
            }
            return null;
        }
    }
}
