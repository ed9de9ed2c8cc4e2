using MatlabMcp.Configuration;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Yaml(string text) => _files.Yaml(text);

    private static Dictionary<string, string> Env(params (string Key, string Value)[] pairs) => ConfigFiles.Env(pairs);

    [Fact]
    public void Load_NoFileNoEnvironment_GivesDefaults()
    {
        var config = ConfigLoader.Load(null, Env());

        Assert.Equal("octave", config.Engine.Kind);
        Assert.Equal(3600, config.Execution.DefaultTimeoutSeconds);
    }

    [Fact]
    public void Load_YamlValues_AreApplied()
    {
        var config = ConfigLoader.Load(Yaml("engine:\n  interrupt_grace: 2.5\nexecution:\n  default_timeout: 30\noutput:\n  max_output_chars: 1000\n"), Env());

        Assert.Equal(2.5, config.Engine.InterruptGraceSeconds);
        Assert.Equal(30, config.Execution.DefaultTimeoutSeconds);
        Assert.Equal(1000, config.Output.MaxOutputChars);
    }

    [Fact]
    public void Load_EnvironmentOverride_OfMultiWordKey_WinsOverYaml()
    {
        var config = ConfigLoader.Load(Yaml("execution:\n  default_timeout: 50\n  max_execution_time: 100\n"),
            Env(("MATLAB_MCP_EXECUTION__MAX_EXECUTION_TIME", "200")));

        Assert.Equal(200, config.Execution.MaxExecutionTimeSeconds);
    }

    [Fact]
    public void Load_UnknownYamlKey_FailsNamingTheKey()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Yaml("execution:\n  timeout_sec: 5\n"), Env()));

        Assert.Contains("execution.timeout_sec", error.Message);
        Assert.Contains("execution.default_timeout", error.Message); // lists what is known
    }

    [Fact]
    public void Load_UnknownEnvironmentKey_FailsNamingTheVariable()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(null, Env(("MATLAB_MCP_ENGINE__NOPE", "1"))));

        Assert.Contains("MATLAB_MCP_ENGINE__NOPE", error.Message);
    }

    [Theory]
    [InlineData("execution:\n  default_timeout: -1\n", "execution.default_timeout must be a positive")]
    [InlineData("execution:\n  default_timeout: 50\n  max_execution_time: 10\n", "must not exceed execution.max_execution_time")]
    [InlineData("execution:\n  default_timeout: soon\n", "'execution.default_timeout' must be a number")]
    [InlineData("engine:\n  kind: python\n", "engine.kind must be")]
    [InlineData("output:\n  max_output_chars: 5\n", "output.max_output_chars must be at least 100")]
    public void Load_InvalidValue_FailsWithClearMessage(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Yaml(yaml), Env()));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Load_MissingFile_Fails()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Path.Combine(_files.Folder, "absent.yaml"), Env()));

        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void Load_EverySettingIsReachableFromTheEnvironment()
    {
        // Every key must do something; at minimum every key must be settable the documented way.
        var config = new AppConfig();
        foreach (var key in ConfigLoader.KnownKeys(config))
        {
            var variable = "MATLAB_MCP_" + key.Replace(".", "__").ToUpperInvariant();
            var value = key switch { "engine.kind" => "octave", _ when key.Contains("timeout") || key.Contains("time") || key.Contains("grace") => "5", _ => "500" };
            var error = Record.Exception(() => ConfigLoader.Load(null, Env((variable, value))));
            Assert.True(error is null or ConfigException { Message: not null } && error?.Message.Contains("unknown") != true,
                $"{variable} was not accepted: {error?.Message}");
        }
    }
}

public sealed class ConfigExampleTests
{
    [Fact]
    public void ExampleConfig_LoadsAndListsEveryKnownKey()
    {
        var path = Path.Combine(MatlabMcp.Tests.Support.Repo.Root, "config.example.yaml");

        var config = ConfigLoader.Load(path, new Dictionary<string, string>());
        var documented = ConfigLoader.ReadYaml(File.ReadAllText(path), path).Select(p => p.Key).ToHashSet();

        Assert.Equal(ConfigLoader.KnownKeys(config).Order(), documented.Order());
    }
}
