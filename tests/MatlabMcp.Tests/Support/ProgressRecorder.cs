using System.Collections.Concurrent;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MatlabMcp.Tests.Support;

/// <summary>
/// Records every progress notification for a client's whole life. A call's own IProgress is not enough for counting:
/// the SDK client runs notification handlers concurrently and unregisters a call's progress handler at its response,
/// so a report it handles after the response is dropped although the server sent it first (RawStdioOrderingTests
/// shows the wire order). Pass <see cref="Token"/> as the call's progress so the request carries a progress token.
/// </summary>
internal sealed class ProgressRecorder : IAsyncDisposable
{
    private readonly IAsyncDisposable _registration;

    public ProgressRecorder(McpClient client) =>
        _registration = client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (notification, _) =>
        {
            var p = notification.Params!;
            Reports.Enqueue(new ProgressNotificationValue
            {
                Progress = p["progress"]!.GetValue<float>(),
                Total = p["total"]?.GetValue<float>(),
                Message = p["message"]?.GetValue<string>(),
            });
            return ValueTask.CompletedTask;
        });

    public ConcurrentQueue<ProgressNotificationValue> Reports { get; } = new();

    /// <summary>A progress sink that only makes the call ask for progress; the recorder sees what arrives.</summary>
    public static IProgress<ProgressNotificationValue> Token { get; } = new InlineProgress(_ => { });

    public ValueTask DisposeAsync() => _registration.DisposeAsync();
}
