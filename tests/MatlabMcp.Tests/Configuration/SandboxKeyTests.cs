using MatlabMcp.Configuration;
using MatlabMcp.Security;
using MatlabMcp.Tests.Support;

namespace MatlabMcp.Tests.Configuration;

/// <summary>sandbox.engine_uid_range, pass_env and read_only_paths: checked at start, each with an effect (see also SandboxIsolationTests).</summary>
[NotInParallel] // engine uids are read host-wide: runs alone
public sealed class SandboxKeyTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Test]
    [Arguments("engine_uid_range: 5", "engine_uid_range")]
    [Arguments("engine_uid_range: \"10-2\"", "engine_uid_range")]
    [Arguments("pass_env: [\"A=B\"]", "pass_env")]
    [Arguments("read_only_paths: [relative/path]", "read_only_paths")]
    public async Task Load_MalformedSandboxKey_FailsNamingIt(string line, string key)
    {
        var error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Load(_files.Yaml($"sandbox:\n  {line}\n"), ConfigFiles.Env()));

        await Assert.That(error.Message).Contains($"sandbox.{key}");
    }

    [Test]
    public async Task ReadOnlyPath_ThatDoesNotExist_IsRefusedAtStart()
    {
        var config = new AppConfig();
        config.Sandbox.ReadOnlyPaths = ["/var/tmp/mcp-no-such-folder"];

        var error = Assert.ThrowsExactly<ConfigException>(() => new EngineSandbox(config));

        await Assert.That(error.Message).Contains("sandbox.read_only_paths");
    }

    [Test, RootOnly("uid ranges are used only when the server can switch users")]
    public async Task EngineUidRange_OverlappingAUser_IsRefusedAtStart()
    {
        var config = new AppConfig();
        config.Sandbox.EngineUidRange = "65530-65539"; // nobody (65534) is in it

        var error = Assert.ThrowsExactly<ConfigException>(() => new EngineSandbox(config));

        await Assert.That(error.Message).Contains("nobody");
    }

    [Test, RootOnly("uid ranges are used only when the server can switch users")]
    public async Task EngineUidRange_EnginesRunAsUidsFromIt_OrAsEngineUserWhenEmpty()
    {
        await using var ranged = new EngineHarness(c => c.Sandbox.EngineUidRange = "2100005000-2100005009");
        await using var shared = new EngineHarness(c => { c.Sandbox.EngineUidRange = ""; c.Sandbox.EngineUser = "nobody"; });

        var uids = new[] { HostProcesses.Uid(await ranged.EnginePidAsync("a")), HostProcesses.Uid(await ranged.EnginePidAsync("b")) };
        var sharedUids = new[] { HostProcesses.Uid(await shared.EnginePidAsync("a")), HostProcesses.Uid(await shared.EnginePidAsync("b")) };

        foreach (var uid in uids)
            await Assert.That(uid).IsBetween(2100005000, 2100005009).Inclusive();
        await Assert.That(uids[1]).IsNotEqualTo(uids[0]);
        await Assert.That(sharedUids).IsEquivalentTo([65534, 65534], CollectionOrdering.Matching);
        await Assert.That(ranged.Sandbox.Budget).StartsWith("per engine"); // what the start-up log says
        await Assert.That(shared.Sandbox.Budget).StartsWith("shared");
    }
}
