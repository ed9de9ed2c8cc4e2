namespace MatlabMcp.Tests.Support;

/// <summary>A scratch folder for config.yaml files, and environment dictionaries, for loader tests.</summary>
internal sealed class ConfigFiles : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("mcp-config-").FullName;

    public string Yaml(string text)
    {
        var path = Path.Combine(Folder, "config.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    public static Dictionary<string, string> Env(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
