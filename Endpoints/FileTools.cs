using System.ComponentModel;
using System.Text;
using MatlabMcp.Configuration;
using MatlabMcp.Jobs;
using MatlabMcp.Output;
using MatlabMcp.Output.Files;
using MatlabMcp.Pool;
using MatlabMcp.Security;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MatlabMcp.Endpoints;

/// <summary>
/// Files of a session folder: upload, list, read, delete, and data files summarised. A thin adapter: paths are checked
/// and opened by <see cref="ConfinedFolder"/> (Security/), contents shaped by Output/Files/. No tool starts an engine
/// except read_data on a .mat file, and none waits for a running job: files are read beside it.
/// </summary>
[McpServerToolType]
internal sealed partial class FileTools(SessionRegistry sessions, ApprovalGate gate, AuditLog audit, IOptions<OutputOptions> output,
    IOptions<ApprovalOptions> approval)
{
    internal const string PathHelp = "Path relative to your session folder, e.g. \"data.csv\" or \"results/run1.mat\" " +
        "(folders separated by '/'; no absolute paths or '..'). Figures are under \"figures/\", cut output under \"output/\".";

    private OutputOptions Limits => output.Value;

    [McpServerTool(Name = "upload_file", Title = "Upload a file to a session", ReadOnly = false, Destructive = false,
        Idempotent = true, OpenWorld = false)]
    [Description("Writes a file into a session folder (created on first use, without starting an engine), so code can read it " +
        "(e.g. readtable('data.csv')). Replaces a file of the same name; missing folders are created. The size limit " +
        "(output.max_upload_mb, 50 MB by default) is checked before anything is written. A .m file becomes callable code.")]
    public async Task<CallToolResult> UploadFileAsync(
        RequestContext<CallToolRequestParams> request,
        [Description(PathHelp)] string path,
        [Description("The file's bytes, base64-encoded.")] string content_base64,
        [Description(CodeTools.SessionHelp)] string? session = null,
        CancellationToken cancellationToken = default)
    {
        if (FileNames.ValidatePath(path) is { } invalid)
            return ResultBuilder.Error(invalid);
        // 1. The size, from the base64 length alone: nothing is decoded or written when it is too large.
        var size = DecodedLength(content_base64);
        if (size > Limits.MaxUploadBytes)
            return ResultBuilder.Error($"The file is {Megabytes(size)} MB; uploads are limited to {Limits.MaxUploadMb:0.##} MB " +
                "(output.max_upload_mb). Nothing was written. Send a smaller file, or split it and join the parts in code.");
        var bytes = new byte[size];
        if (!Convert.TryFromBase64String(content_base64, bytes, out var written))
            return ResultBuilder.Error("content_base64 is not valid base64 (standard alphabet, '=' padding). Nothing was written.");
        // 2. The session's folder (not its engine), then the write: temporary name, renamed into place.
        var identity = CallerIdentity.Of(request.User);
        string? notice;
        EngineSession target;
        try
        {
            target = sessions.ForFiles(identity, session, create: true, out notice)!;
        }
        catch (CapacityException e)
        {
            return ResultBuilder.Error(e.Message);
        }
        using var folder = ConfinedFolder.Open(target.Folder);
        if (folder is null)
            return ResultBuilder.Error($"Session '{target.Name}' was closed meanwhile; nothing was written. Try again.");
        if (await folder.WriteAsync(path, bytes.AsMemory(0, written), cancellationToken) is { } problem)
            return ResultBuilder.Error(problem.Message);
        audit.Record(identity, target.Name, $"upload_file('{path}')", AuditDecisions.Executed,
            $"{written:N0} bytes, sha256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(0, written)))}");
        return new CallToolResult
        {
            Content =
            [
                new TextContentBlock { Text = ClientText.Escape((notice is null ? "" : notice + "\n") +
                    $"Wrote '{path}' ({written:N0} bytes) in session '{target.Name}'.") },
                Link(target.Name, path, written),
            ],
        };
    }

    [McpServerTool(Name = "list_files", Title = "List a session's files", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false)]
    [Description("Lists the files in a session folder (or a folder inside it): name, type (file, folder, link), size in bytes " +
        "and when modified, sorted by name, at most output.max_listed_files entries (the rest are counted).")]
    public CallToolResult ListFiles(
        RequestContext<CallToolRequestParams> request,
        [Description(CodeTools.SessionHelp)] string? session = null,
        [Description("A folder inside the session folder (optional; default: the session folder itself).")] string? path = null)
    {
        path = path?.Trim('/') is { Length: > 0 } p && p != "." ? p : "";
        if (path.Length > 0 && FileNames.ValidatePath(path) is { } invalid)
            return ResultBuilder.Error(invalid);
        if (Open(request, session, out var name, out var error) is not { } folder)
            return error is not null ? ResultBuilder.Error(error) : ResultBuilder.Text($"Session '{name}' has no files yet (it starts on first use: upload_file or execute_code).");
        using (folder)
        {
            if (folder.List(path, Limits.MaxListedFiles, out var listing) is { } problem)
                return ResultBuilder.Error(problem.Message);
            var text = new StringBuilder();
            var where = path.Length == 0 ? $"session '{name}'" : $"'{path}' in session '{name}'";
            if (listing!.Files.Count == 0)
                return ResultBuilder.Text($"No files in {where}.");
            var count = listing.Files.Count + listing.More;
            text.AppendLine($"{count} {(count == 1 ? "entry" : "entries")} in {where}" +
                (listing.More > 0 ? $"; the first {listing.Files.Count} by name (output.max_listed_files), {listing.More} more not shown:" : ":"));
            text.AppendLine("name\ttype\tsize\tmodified (UTC)");
            foreach (var f in listing.Files)
                text.AppendLine($"{f.Name}{(f.Type == "folder" ? "/" : "")}\t{f.Type}\t{f.Size}\t{f.Modified.UtcDateTime:yyyy-MM-dd HH:mm:ss}");
            if (listing.More > 0)
                text.Append($"[{listing.More} more entries: list a subfolder with path=, or delete files you no longer need]");
            return ResultBuilder.Text(text.ToString().TrimEnd());
        }
    }

    [McpServerTool(Name = "delete_file", Title = "Delete a session file", ReadOnly = false, Destructive = true,
        Idempotent = false, OpenWorld = false)]
    [Description("Deletes a file (or an empty folder) from a session folder; a link is removed, never what it points to. " +
        "When the server asks for approval of destructive actions (approval.mode 'all', or 'protected' with 'delete' protected), " +
        "a person is asked through your client first. Every delete is recorded in the audit log.")]
    public async Task<CallToolResult> DeleteFileAsync(
        RequestContext<CallToolRequestParams> request,
        [Description(PathHelp)] string path,
        [Description(CodeTools.SessionHelp)] string? session = null,
        CancellationToken cancellationToken = default)
    {
        if (FileNames.ValidatePath(path) is { } invalid)
            return ResultBuilder.Error(invalid);
        var identity = CallerIdentity.Of(request.User);
        if (Open(request, session, out var name, out var error) is not { } folder)
            return ResultBuilder.Error(error ?? FileProblem.NotFound(path).Message);
        using (folder)
        {
            var code = $"delete('{path.Replace("'", "''", StringComparison.Ordinal)}')";
            if (DeleteNeedsApproval() is { } reason)
            {
                var verdict = await gate.AskAsync(request.Server, request.Params, new ApprovalSubject(identity, name, code, [reason]), cancellationToken);
                if (!verdict.Approved)
                {
                    audit.Record(identity, name, code, verdict.AuditDecision!, $"delete_file '{path}'");
                    return ResultBuilder.Error(verdict.Message.Replace("Nothing was executed", "Nothing was deleted", StringComparison.Ordinal));
                }
            }
            if (folder.Delete(path, out var kind) is { } problem)
                return ResultBuilder.Error(problem.Message);
            audit.Record(identity, name, code, AuditDecisions.Executed, $"delete_file '{path}' ({FileEntry.TypeName(kind)})");
            return ResultBuilder.Text($"Deleted the {FileEntry.TypeName(kind)} '{path}' from session '{name}'.");
        }
    }

    /// <summary>
    /// Why a delete needs a person's approval, or null: always in mode 'all'; in mode 'protected' when the delete function
    /// is protected, since deleting through this tool is what <c>delete(path)</c> does in code (the same decision either way).
    /// </summary>
    internal string? DeleteNeedsApproval() => approval.Value.Mode switch
    {
        ApprovalOptions.All => "delete_file: approval.mode is 'all', every action needs a person's approval",
        ApprovalOptions.Protected when approval.Value.EffectiveProtectedFunctions.Contains("delete", StringComparer.Ordinal) =>
            "delete_file removes a session file, as the protected function delete does",
        _ => null,
    };

    /// <summary>
    /// The caller's session folder (never creating a session); null when the caller has no such session (then
    /// <paramref name="error"/> is null) or the name is invalid (then it says why).
    /// </summary>
    private ConfinedFolder? Open(RequestContext<CallToolRequestParams> request, string? session, out string name, out string? error)
    {
        (name, error) = (session ?? SessionRegistry.DefaultName, null);
        try
        {
            return sessions.ForFiles(CallerIdentity.Of(request.User), session, create: false, out _) is { } found
                ? ConfinedFolder.Open(found.Folder)
                : null;
        }
        catch (CapacityException e)
        {
            error = e.Message;
            return null;
        }
    }

    internal static ResourceLinkBlock Link(string session, string path, long size) => new()
    {
        Uri = SessionResources.Uri(session, path),
        Name = path,
        MimeType = MimeTypes.Of(path),
        Size = size,
    };

    /// <summary>Bytes a base64 text decodes to (padding counted off), before decoding it.</summary>
    internal static long DecodedLength(string base64)
    {
        var length = base64.Length;
        var padding = length > 0 && base64[^1] == '=' ? length > 1 && base64[^2] == '=' ? 2 : 1 : 0;
        return Math.Max(0, (long)length / 4 * 3 + (length % 4 is var rest and > 1 ? rest - 1 : 0) - padding);
    }

    private static string Megabytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
