using MatlabMcp.Tests.Http;
using MatlabMcp.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using static MatlabMcp.Tests.Files.FileToolsTests;

namespace MatlabMcp.Tests.Files;

/// <summary>
/// Over HTTP with two bearer tokens: bob cannot list, read, summarise, delete or resources/read alice's session files,
/// and what he is told is exactly what a missing file gets, so a URI or path reveals nothing about another identity.
/// </summary>
[ClassDataSource<AuthenticatedServerFixture>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(FileOwnershipTests))]
public sealed class FileOwnershipTests(AuthenticatedServerFixture fixture)
{
    [Test]
    [Arguments("2025-11-25")]
    [Arguments(null)] // 2026-07-28, stateless
    public async Task AnotherIdentity_CannotReachTheOwnersFiles(string? protocolVersion)
    {
        await using var alice = await fixture.ConnectAsync(fixture.AliceToken, protocolVersion);
        await using var bob = await fixture.ConnectAsync(fixture.BobToken, protocolVersion);
        var name = $"secret-{Guid.NewGuid():N}.txt";
        var upload = await UploadAsync(alice, $"output/{name}", "alice's data"u8.ToArray(), session: "lab");
        await Assert.That(upload.IsError).IsNotEqualTo(true).Because(Text(upload));
        var uri = $"session://lab/output/{name}";

        var own = await alice.ReadResourceAsync(uri);
        await Assert.That(((TextResourceContents)own.Contents.Single()).Text).IsEqualTo("alice's data");

        var theirs = await Assert.ThrowsAsync<McpProtocolException>(async () => await bob.ReadResourceAsync(uri));
        var missing = await Assert.ThrowsAsync<McpProtocolException>(async () => await alice.ReadResourceAsync($"session://lab/output/none-{name}"));
        await Assert.That(theirs!.ErrorCode).IsEqualTo(McpErrorCode.ResourceNotFound);
        await Assert.That(theirs.Message).IsEqualTo(missing!.Message.Replace($"none-{name}", name, StringComparison.Ordinal));

        await Assert.That(Text(await CallAsync(bob, "list_files", ("session", "lab")))).DoesNotContain("output");
        foreach (var tool in new[] { "read_file", "read_data", "delete_file" })
        {
            var result = await CallAsync(bob, tool, ("path", $"output/{name}"), ("session", "lab"));
            await Assert.That(result.IsError).IsTrue();
            await Assert.That(Text(result)).DoesNotContain("alice's data");
            await Assert.That(Text(result)).Contains("does not exist");
        }
        await Assert.That(Text(await CallAsync(alice, "read_file", ("path", $"output/{name}"), ("session", "lab")))).IsEqualTo("alice's data");
    }
}
