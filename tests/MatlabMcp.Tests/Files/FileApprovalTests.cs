using System.Collections.Concurrent;
using System.Text.Json;
using MatlabMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static MatlabMcp.Tests.Files.FileToolsTests;

namespace MatlabMcp.Tests.Files;

/// <summary>
/// delete_file obeys approval.mode: 'all' asks for every delete, 'protected' asks when the delete function is protected
/// (the same decision as for delete(...) in code), 'off' never asks. A declined or unanswered delete deletes nothing.
/// </summary>
public sealed class FileApprovalTests
{
    private static async Task<(McpClient Client, ConcurrentQueue<string> Prompts)> ConnectAsync(string mode, bool approve,
        string? protectedFunctions = null)
    {
        var prompts = new ConcurrentQueue<string>();
        var env = new Dictionary<string, string?> { ["MATLAB_MCP_APPROVAL__MODE"] = mode };
        if (protectedFunctions is not null)
            env["MATLAB_MCP_APPROVAL__PROTECTED_FUNCTIONS"] = protectedFunctions;
        var options = new McpClientOptions
        {
            DiscoverProbeTimeout = ServerProcess.DiscoverProbe,
            Handlers = new McpClientHandlers
            {
                ElicitationHandler = (request, _) =>
                {
                    prompts.Enqueue(request?.Message ?? "");
                    return ValueTask.FromResult(new ElicitResult
                    {
                        Action = "accept",
                        Content = new Dictionary<string, JsonElement> { ["approve"] = JsonDocument.Parse(approve ? "true" : "false").RootElement },
                    });
                },
            },
        };
        return (await ServerProcess.ConnectStdioAsync(environment: env, clientOptions: options), prompts);
    }

    [Test]
    [Arguments("protected", null)]
    [Arguments("all", "mkdir")]
    public async Task Delete_NeedsApproval_DeclinedKeepsTheFile_ApprovedDeletes(string mode, string? protectedFunctions)
    {
        var (declining, prompts) = await ConnectAsync(mode, approve: false, protectedFunctions);
        await using (declining)
        {
            await UploadAsync(declining, "keep.txt", "x"u8.ToArray());

            var declined = await CallAsync(declining, "delete_file", ("path", "keep.txt"));

            await Assert.That(declined.IsError).IsTrue();
            await Assert.That(Text(declined)).Contains("Nothing was deleted");
            await Assert.That(prompts.Single()).Contains("delete('keep.txt')");
            await Assert.That(Text(await CallAsync(declining, "list_files"))).Contains("keep.txt");
        }

        var (approving, approvals) = await ConnectAsync(mode, approve: true, protectedFunctions);
        await using (approving)
        {
            await UploadAsync(approving, "go.txt", "x"u8.ToArray());

            var deleted = await CallAsync(approving, "delete_file", ("path", "go.txt"));

            await Assert.That(Text(deleted)).Contains("Deleted the file 'go.txt'");
            await Assert.That(approvals.Count).IsEqualTo(1);
        }
    }

    [Test]
    [Arguments("off", null)]
    [Arguments("protected", "mkdir")] // delete not protected: deleting a file is not what the operator asked to approve
    public async Task Delete_NoApprovalNeeded_DeletesWithoutAsking(string mode, string? protectedFunctions)
    {
        var (client, prompts) = await ConnectAsync(mode, approve: false, protectedFunctions);
        await using var _ = client;
        await UploadAsync(client, "gone.txt", "x"u8.ToArray());

        var deleted = await CallAsync(client, "delete_file", ("path", "gone.txt"));

        await Assert.That(Text(deleted)).Contains("Deleted the file 'gone.txt'");
        await Assert.That(prompts).IsEmpty();
    }
}
