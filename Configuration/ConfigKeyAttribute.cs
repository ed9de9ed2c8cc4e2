namespace MatlabMcp.Configuration;

/// <summary>Names a setting as it appears in config.yaml and in <c>MATLAB_MCP_SECTION__KEY</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ConfigKeyAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
