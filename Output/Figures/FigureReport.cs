using System.Buffers.Binary;
using System.Text.Json.Serialization;

namespace MatlabMcp.Output.Figures;

/// <summary>
/// One figure a call drew, as its result lists it: files relative to the session folder (readable as session://
/// resources), the PNG's size in pixels, or why it could not be exported.
/// </summary>
internal sealed record FigureReport
{
    [JsonPropertyName("file")] public string? File { get; init; }
    [JsonPropertyName("width")] public int Width { get; init; }
    [JsonPropertyName("height")] public int Height { get; init; }
    [JsonPropertyName("svg_file"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? SvgFile { get; init; }
    [JsonPropertyName("plotly_file"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? PlotlyFile { get; init; }
    [JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Error { get; init; }
}

/// <summary>What the PNG format says about an image, read from its header.</summary>
internal static class PngHeader
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Width and height from the IHDR chunk; null when <paramref name="bytes"/> is not a PNG.</summary>
    public static (int Width, int Height)? Size(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 24 && bytes[..8].SequenceEqual(Signature) && bytes[12..16].SequenceEqual("IHDR"u8)
            ? ((int)BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]), (int)BinaryPrimitives.ReadUInt32BigEndian(bytes[20..]))
            : null;
}
