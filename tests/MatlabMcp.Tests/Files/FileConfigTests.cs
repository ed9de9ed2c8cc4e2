using MatlabMcp.Configuration;

namespace MatlabMcp.Tests.Files;

/// <summary>The file tools' output keys: defaults, overrides and the values refused at start (their effect: FileToolsTests).</summary>
public sealed class FileConfigTests
{
    private static AppConfig Load(params (string Key, string Value)[] env) =>
        ConfigLoader.Load(null, env.ToDictionary(e => $"MATLAB_MCP_OUTPUT__{e.Key}", e => e.Value));

    [Test]
    public async Task Defaults_AndOverrides()
    {
        var defaults = Load();
        await Assert.That(defaults.Output.MaxUploadBytes).IsEqualTo(50L << 20);
        await Assert.That(defaults.Output.MaxReadBytes).IsEqualTo(5L << 20);
        await Assert.That(defaults.Output.MaxListedFiles).IsEqualTo(200);

        var set = Load(("MAX_UPLOAD_MB", "0.5"), ("MAX_READ_MB", "2"), ("MAX_LISTED_FILES", "7"));
        await Assert.That(set.Output.MaxUploadBytes).IsEqualTo(512L << 10);
        await Assert.That(set.Output.MaxReadBytes).IsEqualTo(2L << 20);
        await Assert.That(set.Output.MaxListedFiles).IsEqualTo(7);
    }

    [Test]
    [Arguments("MAX_UPLOAD_MB", "0", "output.max_upload_mb")]
    [Arguments("MAX_UPLOAD_MB", "5000", "output.max_upload_mb")]
    [Arguments("MAX_READ_MB", "-1", "output.max_read_mb")]
    [Arguments("MAX_LISTED_FILES", "0", "output.max_listed_files")]
    public async Task InvalidValue_RefusedAtStartNamingTheKey(string key, string value, string named)
    {
        var error = Assert.Throws<ConfigException>(() => Load((key, value)));
        await Assert.That(error.Message).Contains(named);
    }
}
