using System.Diagnostics;
using MatlabMcp.Tests.EndToEnd;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Support;

/// <summary>Output printed early in a call reaches the client as a log notification while the code still runs.</summary>
internal static class StreamedOutput
{
    public static async Task AssertEarlyLineArrivesBeforeTheEndAsync(McpClient client)
    {
        var firstOutput = new TaskCompletionSource<(string Text, long At)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var handler = client.RegisterNotificationHandler(NotificationMethods.LoggingMessageNotification, (notification, _) =>
        {
            firstOutput.TrySetResult((notification.Params!["data"]!.GetValue<string>(), Stopwatch.GetTimestamp()));
            return ValueTask.CompletedTask;
        });

        var call = client.CallToolAsync("execute_code", ServerProcess.Args(("code", "pause(0.2); disp('early line'); pause(2.5); disp('end')"))).AsTask();
        var (text, at) = await firstOutput.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var result = await call;
        var ended = Stopwatch.GetTimestamp();

        await Assert.That(text).IsEqualTo("early line\n");
        await Assert.That(Stopwatch.GetElapsedTime(at, ended)).IsGreaterThan(TimeSpan.FromSeconds(1.5)).Because("the output arrived only at the end");
        await Assert.That(StdioServerTests.Text(result)).IsEqualTo("early line\nend");
    }
}
