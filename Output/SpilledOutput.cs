using System.Text.Json.Serialization;

namespace MatlabMcp.Output;

/// <summary>
/// The file in the session folder holding the full text of output that was cut (<c>output/&lt;job id&gt;.txt</c>): results
/// name it in the cut marker and link it (<c>resource_link</c>); get_job_result reads it at an offset.
/// </summary>
internal sealed record OutputFileInfo(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("uri")] string Uri,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("complete")] bool Complete);
