using MatlabMcp.Configuration;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Configuration;

/// <summary>The code_policy section through the real loader: YAML, environment overrides, validation.</summary>
public sealed class CodePolicyConfigTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Yaml(string text) => _files.Yaml(text);

    [Fact]
    public void Defaults_BlockTheShellEvalAndInterop()
    {
        var config = ConfigLoader.Load(null, new Dictionary<string, string>());

        Assert.True(config.CodePolicy.Enabled);
        Assert.Superset(new HashSet<string> { "system", "!", "eval", "py.*", "java.*", "pkg install" },
            config.CodePolicy.BlockedFunctions.ToHashSet());
        // cd, delete, rmdir ... are confined by the engine at run time (PathConfinementTests), not by their text.
        Assert.Empty(config.CodePolicy.ConfinedFunctions);
    }

    [Fact]
    public void ExampleConfig_DocumentsTheDefaultLists()
    {
        var config = ConfigLoader.Load(Path.Combine(Support.Repo.Root, "config.example.yaml"), new Dictionary<string, string>());

        Assert.Equal(CodePolicyOptions.DefaultBlockedFunctions, config.CodePolicy.BlockedFunctions);
        Assert.Equal(CodePolicyOptions.DefaultConfinedFunctions, config.CodePolicy.ConfinedFunctions);
    }

    [Fact]
    public void Yaml_OverridesBlockedListAndSwitchesOff()
    {
        var path = Yaml("code_policy:\n  enabled: false\n  blocked_functions: [foo, bar.*]\n  allowed_functions:\n    - feval\n");

        var config = ConfigLoader.Load(path, new Dictionary<string, string>());

        Assert.False(config.CodePolicy.Enabled);
        Assert.Equal(["foo", "bar.*"], config.CodePolicy.BlockedFunctions);
        Assert.Equal(["feval"], config.CodePolicy.AllowedFunctions);
    }

    [Fact]
    public void Environment_OverridesTheYamlList()
    {
        var path = Yaml("code_policy:\n  blocked_functions: [foo]\n");

        var config = ConfigLoader.Load(path, new Dictionary<string, string>
        {
            ["MATLAB_MCP_CODE_POLICY__BLOCKED_FUNCTIONS"] = "a,b",
            ["MATLAB_MCP_CODE_POLICY__ENABLED"] = "false",
        });

        Assert.Equal(["a", "b"], config.CodePolicy.BlockedFunctions);
        Assert.False(config.CodePolicy.Enabled);
    }

    [Fact]
    public void InvalidEntry_StopsTheServerNamingIt()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(null, new Dictionary<string, string>
        {
            ["MATLAB_MCP_CODE_POLICY__BLOCKED_FUNCTIONS"] = "system,rm -rf /",
        }));

        Assert.Contains("'rm -rf /'", error.Message);
    }

    [Fact]
    public void PolicyFollowsEngineKind()
    {
        var config = ConfigLoader.Load(null, new Dictionary<string, string> { ["MATLAB_MCP_ENGINE__KIND"] = "matlab" });

        Assert.Equal(MatlabMcp.Security.MatlabDialect.Matlab, MatlabMcp.Security.CodePolicy.From(config).Dialect);
    }
}
