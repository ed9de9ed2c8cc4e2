using System.Text.Json.Serialization;

namespace MatlabMcp.Output.Files;

/// <summary>What a session file is, as listed: never where a link points.</summary>
internal enum FileKind
{
    File,
    Folder,
    Link,
    Other, // a FIFO, socket or device: listed, never opened
}

/// <summary>One entry of a session folder.</summary>
internal sealed record FileEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("modified")] DateTimeOffset Modified)
{
    public static string TypeName(FileKind kind) => kind switch
    {
        FileKind.File => "file",
        FileKind.Folder => "folder",
        FileKind.Link => "link",
        _ => "other",
    };
}

/// <summary>A bounded listing: the first entries by name, and how many more there are.</summary>
internal sealed record FileListing(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("files")] IReadOnlyList<FileEntry> Files,
    [property: JsonPropertyName("more")] int More);
