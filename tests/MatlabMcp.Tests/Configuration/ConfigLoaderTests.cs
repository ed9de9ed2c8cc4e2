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

        await Assert.That(config.Engine.Flavour).IsEqualTo(EngineKind.Octave);
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
    [Arguments("output:\n  max_output_chars: 5\n", "output.max_output_chars must be at least 100")]
    public async Task Load_InvalidValue_FailsWithClearMessage(string yaml, string expected)
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Load(Yaml(yaml), Env()));

        await Assert.That(error.Message).Contains(expected);
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
        var config = new AppConfig();
        foreach (var key in ConfigLoader.KnownKeys(config))
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

        await Assert.That(documented.Order()).IsEquivalentTo(ConfigLoader.KnownKeys(config).Order(), CollectionOrdering.Matching);
    }
}
