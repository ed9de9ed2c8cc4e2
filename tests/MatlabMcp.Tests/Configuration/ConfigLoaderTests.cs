using MatlabMcp.Configuration;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Yaml(string text) => _files.Yaml(text);

    private static Dictionary<string, string> Env(params (string Key, string Value)[] pairs) => ConfigFiles.Env(pairs);

    [Test]
    public async Task Load_NoFileNoEnvironment_GivesDefaults()
    {
        var config = ConfigLoader.Load(null, Env());

        await Assert.That(config.Engine.Kind).IsEqualTo(EngineKind.Octave);
        await Assert.That(config.Execution.DefaultTimeoutSeconds).IsEqualTo(3600);
    }

    [Test]
    public async Task Load_YamlValues_AreApplied()
    {
        var config = ConfigLoader.Load(Yaml("engine:\n  interrupt_grace: 2.5\nexecution:\n  default_timeout: 30\noutput:\n  max_output_chars: 1000\n"), Env());

        await Assert.That(config.Engine.InterruptGraceSeconds).IsEqualTo(2.5);
        await Assert.That(config.Execution.DefaultTimeoutSeconds).IsEqualTo(30);
        await Assert.That(config.Output.MaxOutputChars).IsEqualTo(1000);
    }

    [Test]
    public async Task Load_EnvironmentOverride_OfMultiWordKey_WinsOverYaml()
    {
        var config = ConfigLoader.Load(Yaml("execution:\n  default_timeout: 50\n  max_execution_time: 100\n"),
            Env(("MATLAB_MCP_EXECUTION__MAX_EXECUTION_TIME", "200")));

        await Assert.That(config.Execution.MaxExecutionTimeSeconds).IsEqualTo(200);
    }

    [Test]
    public async Task Load_UnknownYamlKey_FailsNamingTheKey()
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Load(Yaml("execution:\n  timeout_sec: 5\n"), Env()));

        await Assert.That(error.Message).Contains("execution.timeout_sec");
        await Assert.That(error.Message).Contains("execution.default_timeout"); // lists what is known
    }

    [Test]
    public async Task Load_UnknownEnvironmentKey_FailsNamingTheVariable()
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Load(null, Env(("MATLAB_MCP_ENGINE__NOPE", "1"))));

        await Assert.That(error.Message).Contains("MATLAB_MCP_ENGINE__NOPE");
    }

    [Test]
    [Arguments("execution:\n  default_timeout: -1\n", "execution.default_timeout must be a positive")]
    [Arguments("execution:\n  default_timeout: 50\n  max_execution_time: 10\n", "must not exceed execution.max_execution_time")]
    [Arguments("execution:\n  default_timeout: soon\n", "'execution.default_timeout' must be a number")]
    [Arguments("engine:\n  kind: python\n", "engine.kind must be")]
    [Arguments("engine:\n  kind: Matlab\n", "engine.kind must be \"octave\" or \"matlab\", not \"Matlab\"")]
    [Arguments("engine:\n  kind: 1\n", "engine.kind must be \"octave\" or \"matlab\", not \"1\"")]
    [Arguments("pool:\n  min_engines: \"\"\n", "'pool.min_engines' must be a whole number, not ''")]
    [Arguments("pool:\n  min_engines: 1.5\n", "'pool.min_engines' must be a whole number, not '1.5'")]
    [Arguments("sandbox:\n  enabled: yes\n", "'sandbox.enabled' must be true or false, not 'yes'")]
    [Arguments("output:\n  max_output_chars: 5\n", "output.max_output_chars must be at least 100")]
    [Arguments("output:\n  figure_format: jpeg\n", "output.figure_format must be \"png\", \"svg\", \"plotly\" or \"none\", not \"jpeg\"")]
    [Arguments("output:\n  figure_dpi: 5\n", "output.figure_dpi must be between 10 and 1200")]
    [Arguments("output:\n  figure_max_width: 50\n", "output.figure_max_width must be between 100 and 10000")]
    [Arguments("output:\n  max_figures: 0\n", "output.max_figures must be between 1 and 100")]
    [Arguments("output:\n  plotly_max_points: 10\n", "output.plotly_max_points must be at least 100")]
    public async Task Load_InvalidValue_FailsWithClearMessage(string yaml, string expected)
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Load(Yaml(yaml), Env()));

        await Assert.That(error.Message).Contains(expected);
    }

    [Test]
    public async Task Load_EveryBadKey_IsReported_AndTheGoodOnesStillChecked()
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Load(
            Yaml("pool:\n  max_engines: many\n  min_engines: 3\n  spare_engines: 9\nsessions:\n  nope: 1\n"), Env()));

        await Assert.That(error.Message).Contains("'pool.max_engines' must be a whole number, not 'many'");
        await Assert.That(error.Message).Contains("unknown setting 'sessions.nope'");
        await Assert.That(error.Message).Contains("pool.spare_engines must be between 0 and pool.max_engines");
    }

    [Test]
    public async Task Load_ConfiguredList_ReplacesTheDefaultList()
    {
        var config = ConfigLoader.Load(Yaml("code_policy:\n  blocked_functions: []\napproval:\n  protected_functions: [rmdir]\n"),
            Env(("MATLAB_MCP_AUDIT__ADMIN_IDENTITIES", "root, alice")));

        await Assert.That(config.CodePolicy.EffectiveBlockedFunctions).IsEmpty();
        await Assert.That(config.Approval.EffectiveProtectedFunctions).IsEquivalentTo(["rmdir"], CollectionOrdering.Matching);
        await Assert.That(config.Audit.EffectiveAdminIdentities).IsEquivalentTo(["root", "alice"], CollectionOrdering.Matching);
        await Assert.That(ConfigLoader.Load(null, Env()).Audit.EffectiveAdminIdentities).IsEquivalentTo(["local"], CollectionOrdering.Matching);
    }

    [Test]
    public async Task Load_TextValues_AreTrimmed_AndMayBeEmpty()
    {
        var config = ConfigLoader.Load(Yaml("sandbox:\n  engine_uid_range: \"\"\n"), Env(("MATLAB_MCP_ENGINE__KIND", " matlab ")));

        await Assert.That(config.Sandbox.EngineUidRange).IsEqualTo("");
        await Assert.That(config.Engine.Kind).IsEqualTo(EngineKind.Matlab);
    }

    [Test]
    public async Task Load_MissingFile_Fails()
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Load(Path.Combine(_files.Folder, "absent.yaml"), Env()));

        await Assert.That(error.Message).Contains("does not exist");
    }

    [Test]
    public async Task Load_EverySettingIsReachableFromTheEnvironment()
    {
        // Every key must do something; at minimum every key must be settable the documented way.
        foreach (var key in ConfigLoader.KnownKeys)
        {
            var variable = "MATLAB_MCP_" + key.Replace(".", "__").ToUpperInvariant();
            var value = key switch { "engine.kind" => "octave", _ when key.Contains("timeout") || key.Contains("time") || key.Contains("grace") => "5", _ => "500" };
            Exception? error = null;
            try
            {
                ConfigLoader.Load(null, Env((variable, value)));
            }
            catch (Exception e)
            {
                error = e;
            }
            await Assert.That(error is null or ConfigException { Message: not null } && error?.Message.Contains("unknown") != true).IsTrue().Because($"{variable} was not accepted: {error?.Message}");
        }
    }
}

public sealed class ConfigExampleTests
{
    [Test]
    public async Task ExampleConfig_LoadsAndListsEveryKnownKey()
    {
        var path = Path.Combine(MatlabMcp.Tests.Support.Repo.Root, "config.example.yaml");

        var config = ConfigLoader.Load(path, new Dictionary<string, string>());
        var documented = ConfigLoader.ReadYaml(File.ReadAllText(path), path).Select(p => p.Key).ToHashSet();

        await Assert.That(documented.Order()).IsEquivalentTo(ConfigLoader.KnownKeys.Order(), CollectionOrdering.Matching);
    }
}
