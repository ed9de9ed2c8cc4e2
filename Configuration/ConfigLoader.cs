using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace MatlabMcp.Configuration;

/// <summary>
/// Builds <see cref="AppConfig"/> from config.yaml, then <c>MATLAB_MCP_SECTION__KEY</c> environment overrides, bound
/// by the configuration binding source generator (no reflection, so the AOT binary reads every key). Unknown keys
/// and invalid values stop the server with a message naming the key and what it takes.
/// </summary>
internal static class ConfigLoader
{
    public const string EnvironmentPrefix = "MATLAB_MCP_";

    /// <summary>Environment variables with the prefix that are not config keys.</summary>
    private static readonly HashSet<string> NonConfigVariables = ["MATLAB_MCP_CONFIG", "MATLAB_MCP_AUTH_TOKEN"];

    /// <summary>
    /// The keys, read off the generated binder itself (their names live only in [ConfigurationKeyName]): a default
    /// config is bound from a configuration that records what it is asked. A section key asks for its properties'
    /// values (scalars) or their children (lists).
    /// </summary>
    private static readonly Lazy<(List<string> Keys, HashSet<string> Lists)> Catalogue = new(() =>
    {
        var recorder = new KeyRecorder();
        Bind(recorder, new AppConfig());
        var keys = recorder.Asked.Where(a => a.Path.Count(c => c == ':') == 1).Select(a => a.Path.Replace(':', '.')).Distinct().ToList();
        var lists = recorder.Asked.Where(a => a.Section && a.Path.Count(c => c == ':') == 1).Select(a => a.Path.Replace(':', '.')).ToHashSet();
        return (keys, lists);
    });

    public static AppConfig Load(string? yamlPath, IReadOnlyDictionary<string, string> environment)
    {
        var config = new AppConfig();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        if (yamlPath is not null)
        {
            if (!File.Exists(yamlPath))
                throw new ConfigException($"Config file '{yamlPath}' does not exist.");
            foreach (var (key, value) in ReadYaml(File.ReadAllText(yamlPath), yamlPath))
                Apply(values, key, value, $"{yamlPath}: ", errors);
            config.SourcePath = Path.GetFullPath(yamlPath);
        }
        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) || NonConfigVariables.Contains(name))
                continue;
            var key = name[EnvironmentPrefix.Length..].Replace("__", ".", StringComparison.Ordinal).ToLowerInvariant();
            Apply(values, key, value, $"environment variable {name}: ", errors);
        }
        // The values that passed, so a cross-key check below still sees them when another key was refused.
        Bind(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), config);
        errors.AddRange(config.Validate());
        if (errors.Count > 0)
            throw new ConfigException("Invalid configuration:\n  - " + string.Join("\n  - ", errors));
        return config;
    }

    /// <summary>Every config key (<c>section.key</c>), in the order the sections and their properties are declared.</summary>
    public static IReadOnlyList<string> KnownKeys => Catalogue.Value.Keys;

    /// <summary>Flattens a YAML mapping into dotted keys (<c>section.key</c>) with scalar values.</summary>
    internal static IEnumerable<KeyValuePair<string, string>> ReadYaml(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ConfigException($"{source} is not valid YAML (line {e.Start.Line}): {e.Message}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            return [];
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ConfigException($"{source} must be a mapping of sections (engine:, execution:, ...).");
        var pairs = new List<KeyValuePair<string, string>>();
        Flatten(root, "", pairs);
        return pairs;
    }

    private static void Flatten(YamlNode node, string prefix, List<KeyValuePair<string, string>> pairs)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, child) in mapping.Children)
                    Flatten(child, prefix.Length == 0 ? key.ToString() : $"{prefix}.{key}", pairs);
                break;
            case YamlSequenceNode sequence:
                pairs.Add(new(prefix, string.Join(",", sequence.Children.Select(c => c.ToString()))));
                break;
            case YamlScalarNode scalar:
                pairs.Add(new(prefix, scalar.Value ?? ""));
                break;
        }
    }

    /// <summary>Checks one setting and, when it is good, puts it where the binder reads it (a later source replaces it).</summary>
    private static void Apply(Dictionary<string, string?> values, string key, string value, string origin, List<string> errors)
    {
        var text = value.Trim();
        if (Problem(key, text) is { } problem)
        {
            errors.Add(origin + problem);
            return;
        }
        var path = key.Replace('.', ConfigurationPath.KeyDelimiter[0]);
        foreach (var earlier in values.Keys.Where(k => k.StartsWith(path + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase)).ToList())
            values.Remove(earlier);
        if (!Catalogue.Value.Lists.Contains(key))
        {
            values[path] = text;
            return;
        }
        // A list is "a,b,c" (YAML sequences arrive joined the same way); the binder reads its items as path:0, path:1, ...
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        values[path] = items.Length == 0 ? "" : null; // "": an empty list, not "not configured"
        for (var i = 0; i < items.Length; i++)
            values[ConfigurationPath.Combine(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture))] = items[i];
    }

    /// <summary>What is wrong with one setting, naming its key, or null.</summary>
    private static string? Problem(string key, string text)
    {
        if (AuthOptions.RefusalFor(key) is { } refusal)
            return refusal;
        if (!Catalogue.Value.Keys.Contains(key))
            return $"unknown setting '{key}'. Known settings: {string.Join(", ", KnownKeys)}.";
        if (Catalogue.Value.Lists.Contains(key))
            return null;
        // What the key takes, as the binder says when it fails to convert something no number, flag or flavour reads as.
        var path = key.Replace('.', ConfigurationPath.KeyDelimiter[0]);
        var taken = BindFailure(path, "\u0001");
        if (taken is null)
            return null; // text
        if (taken.Contains($"'{typeof(EngineKind)}'", StringComparison.Ordinal))
            // Exactly as config.yaml spells it: the binder would also take "Matlab", "1" or "octave, matlab".
            return EngineKinds.TryParse(text, out _) ? null : $"{key} must be {EngineKinds.Expected}, not \"{text}\".";
        // The binder skips an empty value; an empty number or flag was always an error.
        return text.Length > 0 && BindFailure(path, text) is null ? null : $"'{key}' must be {Describe(taken)}, not '{text}'.";
    }

    /// <summary>The binder's message when it cannot take <paramref name="value"/> at <paramref name="path"/>, or null.</summary>
    private static string? BindFailure(string path, string value)
    {
        try
        {
            Bind(new ConfigurationBuilder().AddInMemoryCollection([new(path, value)]).Build(), new AppConfig());
            return null;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }

    private static string Describe(string failure) =>
        failure.Contains($"'{typeof(int)}'", StringComparison.Ordinal) ? "a whole number"
        : failure.Contains($"'{typeof(double)}'", StringComparison.Ordinal) ? "a number"
        : failure.Contains($"'{typeof(bool)}'", StringComparison.Ordinal) ? "true or false"
        : "text";

    /// <summary>The one call site the binding source generator writes code for.</summary>
    private static void Bind(IConfiguration configuration, AppConfig config) => configuration.Bind(config);

    /// <summary>A configuration with every section present and no values, which records each path it is asked for.</summary>
    private sealed class KeyRecorder(string path = "", List<(string Path, bool Section)>? asked = null) : IConfigurationSection
    {
        public List<(string Path, bool Section)> Asked { get; } = asked ?? [];

        public string? this[string key]
        {
            get
            {
                Asked.Add((Child(key), false));
                return null;
            }
            set => throw new NotSupportedException();
        }

        public string Key => ConfigurationPath.GetSectionKey(path);
        public string Path => path;
        public string? Value { get => null; set => throw new NotSupportedException(); }

        public IConfigurationSection GetSection(string key)
        {
            Asked.Add((Child(key), true));
            return new KeyRecorder(Child(key), Asked);
        }

        // One unnamed child, so the binder treats every section as present and descends into it.
        public IEnumerable<IConfigurationSection> GetChildren() => [new KeyRecorder(Child("\0"), [])];

        public Microsoft.Extensions.Primitives.IChangeToken GetReloadToken() => throw new NotSupportedException();

        private string Child(string key) => path.Length == 0 ? key : ConfigurationPath.Combine(path, key);
    }
}

/// <summary>A configuration problem the operator must fix before the server can start.</summary>
internal sealed class ConfigException(string message) : Exception(message);
