using MatlabMcp.Configuration;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Configuration;

/// <summary>The code_policy section through the real loader: YAML, environment overrides, validation.</summary>
public sealed class CodePolicyConfigTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Yaml(string text) => _files.Yaml(text);

    [Test]
    public async Task Defaults_BlockTheShellEvalAndInterop()
    {
        var config = ConfigLoader.Load(null, new Dictionary<string, string>());

        await Assert.That(config.CodePolicy.Enabled).IsTrue();
        await Assert.That(config.CodePolicy.EffectiveBlockedFunctions.ToHashSet()).IsSupersetOf(["system", "!", "eval", "py.*", "java.*", "pkg install"]);
        // cd, delete, rmdir ... are confined by the engine at run time (PathConfinementTests), not by their text.
        await Assert.That(config.CodePolicy.ConfinedFunctions).IsEmpty();
    }

    [Test]
    public async Task ExampleConfig_DocumentsTheDefaultLists()
    {
        var config = ConfigLoader.Load(Path.Combine(Support.Repo.Root, "config.example.yaml"), new Dictionary<string, string>());

        await Assert.That(config.CodePolicy.EffectiveBlockedFunctions).IsEquivalentTo(CodePolicyOptions.DefaultBlockedFunctions, CollectionOrdering.Matching);
        await Assert.That(config.CodePolicy.ConfinedFunctions).IsEquivalentTo(CodePolicyOptions.DefaultConfinedFunctions, CollectionOrdering.Matching);
    }

    [Test]
    public async Task Yaml_OverridesBlockedListAndSwitchesOff()
    {
        var path = Yaml("code_policy:\n  enabled: false\n  blocked_functions: [foo, bar.*]\n  allowed_functions:\n    - feval\n");

        var config = ConfigLoader.Load(path, new Dictionary<string, string>());

        await Assert.That(config.CodePolicy.Enabled).IsFalse();
        await Assert.That(config.CodePolicy.EffectiveBlockedFunctions).IsEquivalentTo(["foo", "bar.*"], CollectionOrdering.Matching);
        await Assert.That(config.CodePolicy.AllowedFunctions).IsEquivalentTo(["feval"], CollectionOrdering.Matching);
    }

    [Test]
    public async Task Environment_OverridesTheYamlList()
    {
        var path = Yaml("code_policy:\n  blocked_functions: [foo]\n");

        var config = ConfigLoader.Load(path, new Dictionary<string, string>
        {
            ["MATLAB_MCP_CODE_POLICY__BLOCKED_FUNCTIONS"] = "a,b",
            ["MATLAB_MCP_CODE_POLICY__ENABLED"] = "false",
        });

        await Assert.That(config.CodePolicy.EffectiveBlockedFunctions).IsEquivalentTo(["a", "b"], CollectionOrdering.Matching);
        await Assert.That(config.CodePolicy.Enabled).IsFalse();
    }

    [Test]
    public async Task InvalidEntry_StopsTheServerNamingIt()
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Load(null, new Dictionary<string, string>
        {
            ["MATLAB_MCP_CODE_POLICY__BLOCKED_FUNCTIONS"] = "system,rm -rf /",
        }));

        await Assert.That(error.Message).Contains("'rm -rf /'");
    }

    [Test]
    public async Task PolicyFollowsEngineKind()
    {
        var config = ConfigLoader.Load(null, new Dictionary<string, string> { ["MATLAB_MCP_ENGINE__KIND"] = "matlab" });

        await Assert.That(MatlabMcp.Security.CodePolicy.DialectOf(config.Engine)).IsEqualTo(MatlabMcp.Security.MatlabDialect.Matlab);
    }
}
