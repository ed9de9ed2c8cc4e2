using Microsoft.Extensions.Configuration;

namespace MatlabMcp.Configuration;

/// <summary>Tools an operator defines in a YAML file, each calling a MATLAB/Octave function with typed parameters.</summary>
internal sealed class CustomToolsOptions : IConfigSection<CustomToolsOptions>
{
    /// <summary>
    /// A YAML file whose <c>tools:</c> list defines one MCP tool per entry (examples/custom_tools.yaml shows the form);
    /// empty means none. A relative path is taken from the server's working directory; the tools' own <c>path:</c>
    /// folders are taken relative to this file, and mounted read-only into engines.
    /// </summary>
    [ConfigurationKeyName("file")] public string File { get; set; } = "";

    private (string Path, IReadOnlyList<CustomToolDefinition> Tools, IReadOnlyList<string> Errors)? _loaded;

    /// <summary>
    /// The tools of <see cref="File"/> (none when it is empty), read once per file name; only the valid ones. A method, not a
    /// property: the binder would try to bind it.
    /// </summary>
    public IReadOnlyList<CustomToolDefinition> Tools() => Read().Tools;

    public IEnumerable<string> Validate() => Read().Errors;

    private (string Path, IReadOnlyList<CustomToolDefinition> Tools, IReadOnlyList<string> Errors) Read()
    {
        // Read when asked, not when bound: the loader validates, the sandbox mounts the folders and the endpoints register the
        // tools, all from one reading; a test that names another file in code gets that file read.
        if (_loaded is { } loaded && loaded.Path == File)
            return loaded;
        var (tools, errors) = File.Length == 0 ? ([], []) : CustomToolsFile.Load(File);
        _loaded = (File, tools, errors);
        return _loaded.Value;
    }
}
