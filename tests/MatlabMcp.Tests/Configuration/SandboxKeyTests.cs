using MatlabMcp.Configuration;
using MatlabMcp.Security;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Configuration;

/// <summary>sandbox.engine_uid_range, pass_env and read_only_paths: checked at start, each with an effect (see also SandboxIsolationTests).</summary>
[Collection("sandbox")]
public sealed class SandboxKeyTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("engine_uid_range: 5", "engine_uid_range")]
    [InlineData("engine_uid_range: \"10-2\"", "engine_uid_range")]
    [InlineData("pass_env: [\"A=B\"]", "pass_env")]
    [InlineData("read_only_paths: [relative/path]", "read_only_paths")]
    public void Load_MalformedSandboxKey_FailsNamingIt(string line, string key)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(_files.Yaml($"sandbox:\n  {line}\n"), ConfigFiles.Env()));

        Assert.Contains($"sandbox.{key}", error.Message);
    }

    [Fact]
    public void ReadOnlyPath_ThatDoesNotExist_IsRefusedAtStart()
    {
        var config = new AppConfig();
        config.Sandbox.ReadOnlyPaths = ["/var/tmp/mcp-no-such-folder"];

        var error = Assert.Throws<ConfigException>(() => new EngineSandbox(config));

        Assert.Contains("sandbox.read_only_paths", error.Message);
    }

    [RootFact("uid ranges are used only when the server can switch users")]
    public void EngineUidRange_OverlappingAUser_IsRefusedAtStart()
    {
        var config = new AppConfig();
        config.Sandbox.EngineUidRange = "65530-65539"; // nobody (65534) is in it

        var error = Assert.Throws<ConfigException>(() => new EngineSandbox(config));

        Assert.Contains("nobody", error.Message);
    }

    [RootFact("uid ranges are used only when the server can switch users")]
    public async Task EngineUidRange_EnginesRunAsUidsFromIt_OrAsEngineUserWhenEmpty()
    {
        await using var ranged = new EngineHarness(c => c.Sandbox.EngineUidRange = "2100005000-2100005009");
        await using var shared = new EngineHarness(c => { c.Sandbox.EngineUidRange = ""; c.Sandbox.EngineUser = "nobody"; });

        var uids = new[] { HostProcesses.Uid(await ranged.EnginePidAsync("a")), HostProcesses.Uid(await ranged.EnginePidAsync("b")) };
        var sharedUids = new[] { HostProcesses.Uid(await shared.EnginePidAsync("a")), HostProcesses.Uid(await shared.EnginePidAsync("b")) };

        Assert.All(uids, uid => Assert.InRange(uid, 2100005000, 2100005009));
        Assert.NotEqual(uids[0], uids[1]);
        Assert.Equal([65534, 65534], sharedUids);
        Assert.StartsWith("per engine", ranged.Sandbox.Budget); // what the start-up log says
        Assert.StartsWith("shared", shared.Sandbox.Budget);
    }
}
