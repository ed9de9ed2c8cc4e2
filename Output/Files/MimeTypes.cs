namespace MatlabMcp.Output.Files;

/// <summary>Media types of session files: by content for images (a name can lie), by extension for the rest.</summary>
internal static class MimeTypes
{
    public static string Of(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".svg" => "image/svg+xml",
        ".csv" => "text/csv",
        ".tsv" => "text/tab-separated-values",
        ".json" => "application/json",
        ".yaml" or ".yml" => "application/yaml",
        ".xml" => "application/xml",
        ".html" or ".htm" => "text/html",
        ".m" => "text/x-matlab",
        ".txt" or ".log" or ".md" => "text/plain",
        ".mat" => "application/x-matlab-data",
        ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pdf" => "application/pdf",
        _ => "application/octet-stream",
    };

    /// <summary>The image type the bytes start with (PNG, JPEG, GIF), or null.</summary>
    public static string? SniffImage(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']) ? "image/png"
        : head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : head.StartsWith("GIF8"u8) ? "image/gif"
        : null;
}
