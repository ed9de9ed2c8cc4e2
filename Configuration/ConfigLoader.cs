using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace MatlabMcp.Configuration;

/// <summary>
/// Builds <see cref="AppConfig"/> from config.yaml, then <c>MATLAB_MCP_SECTION__KEY</c> environment
/// overrides. Unknown keys and invalid values stop the server with a message naming the key.
/// </summary>
internal static class ConfigLoader
{
    public const string EnvironmentPrefix = "MATLAB_MCP_";

    /// <summary>Environment variables with the prefix that are not config keys.</summary>
    private static readonly HashSet<string> NonConfigVariables = ["MATLAB_MCP_CONFIG", "MATLAB_MCP_AUTH_TOKEN"];

    public static AppConfig Load(string? yamlPath, IReadOnlyDictionary<string, string> environment)
    {
        var config = new AppConfig();
        var errors = new List<string>();
        if (yamlPath is not null)
        {
            if (!File.Exists(yamlPath))
                throw new ConfigException($"Config file '{yamlPath}' does not exist.");
            foreach (var (key, value) in ReadYaml(File.ReadAllText(yamlPath), yamlPath))
                Apply(config, key, value, $"{yamlPath}: ", errors);
            config.SourcePath = Path.GetFullPath(yamlPath);
        }
        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) || NonConfigVariables.Contains(name))
                continue;
            var key = name[EnvironmentPrefix.Length..].Replace("__", ".", StringComparison.Ordinal).ToLowerInvariant();
            Apply(config, key, value, $"environment variable {name}: ", errors);
        }
        errors.AddRange(config.Validate());
        if (errors.Count > 0)
            throw new ConfigException("Invalid configuration:\n  - " + string.Join("\n  - ", errors));
        return config;
    }

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

    private static void Apply(AppConfig config, string key, string value, string origin, List<string> errors)
    {
        if (AuthOptions.RefusalFor(key) is { } refusal)
        {
            errors.Add(origin + refusal);
            return;
        }
        var dot = key.IndexOf('.');
        var section = dot < 0 ? null : config.Sections.FirstOrDefault(s => s.Name == key[..dot]);
        var property = section is null ? null : FindProperty(section, key[(dot + 1)..]);
        if (section is null || property is null)
        {
            errors.Add($"{origin}unknown setting '{key}'. Known settings: {string.Join(", ", KnownKeys(config))}.");
            return;
        }
        if (property.PropertyType == typeof(EngineKind) && !EngineKinds.TryParse(value.Trim(), out _))
        {
            errors.Add($"{origin}{key} must be {EngineKinds.Expected}, not \"{value}\".");
            return;
        }
        if (!TryConvert(value, property.PropertyType, out var converted))
        {
            errors.Add($"{origin}'{key}' must be {Describe(property.PropertyType)}, not '{value}'.");
            return;
        }
        property.SetValue(section, converted);
    }

    public static IEnumerable<string> KnownKeys(AppConfig config) =>
        config.Sections.SelectMany(s => Properties(s).Select(p => $"{s.Name}.{KeyOf(p)}"));

    private static PropertyInfo? FindProperty(object section, string key) =>
        Properties(section).FirstOrDefault(p => KeyOf(p) == key);

    private static string KeyOf(PropertyInfo property) => property.GetCustomAttribute<ConfigKeyAttribute>()!.Name;

    // Native AOT keeps a property's metadata only when something asks for it: without these roots GetProperties()
    // returned nothing in the AOT binary and every setting read as unknown. One line per AppConfig.Sections type.
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(EngineOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(ExecutionOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(OutputOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(PoolOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(SessionOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(JobOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(SandboxOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(CodePolicyOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(ApprovalOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(AuditOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(ServerOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(AuthOptions))]
    [UnconditionalSuppressMessage("Trimming", "IL2075",
        Justification = "Every section type's public properties are rooted by the DynamicDependency attributes above.")]
    private static IEnumerable<PropertyInfo> Properties(object section) =>
        section.GetType().GetProperties().Where(p => p.CanWrite && p.GetCustomAttribute<ConfigKeyAttribute>() is not null);

    private static bool TryConvert(string value, Type type, out object? converted)
    {
        var text = value.Trim();
        converted = null;
        if (type == typeof(string)) converted = text;
        else if (type == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) converted = i;
        else if (type == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) converted = d;
        else if (type == typeof(bool) && bool.TryParse(text, out var b)) converted = b;
        else if (type == typeof(EngineKind) && EngineKinds.TryParse(text, out var kind)) converted = kind;
        else if (type == typeof(string[])) converted = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return converted is not null;
    }

    private static string Describe(Type type) =>
        type == typeof(int) ? "a whole number"
        : type == typeof(double) ? "a number"
        : type == typeof(bool) ? "true or false"
        : type == typeof(string[]) ? "a list" : "text";
}

/// <summary>A configuration problem the operator must fix before the server can start.</summary>
internal sealed class ConfigException(string message) : Exception(message);
