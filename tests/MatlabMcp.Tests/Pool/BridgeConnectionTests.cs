using System.Text;
using System.Text.Json;
using MatlabMcp.Pool;

namespace MatlabMcp.Tests.Pool;

/// <summary>The bridge connection over real FIFOs, with this test playing the engine's end.</summary>
public sealed class BridgeConnectionTests : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mcp-bridge-").FullName;
    private readonly FileStream _engineReads;  // the engine's end of the request pipe
    private readonly FileStream _engineWrites; // the engine's end of the response pipe
    private readonly BridgeConnection _bridge;

    public BridgeConnectionTests()
    {
        var requests = Path.Combine(_folder, "req");
        var responses = Path.Combine(_folder, "resp");
        Native.CreateFifo(requests);
        Native.CreateFifo(responses);
        // Read-write opens of a FIFO do not wait for a peer, so both ends open on this thread.
        _engineReads = new FileStream(requests, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 0);
        _engineWrites = new FileStream(responses, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 0);
        _bridge = new BridgeConnection(
            new FileStream(requests, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 0),
            new FileStream(responses, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 0));
    }

    public async ValueTask DisposeAsync()
    {
        _bridge.Dispose();
        await _engineReads.DisposeAsync();
        await _engineWrites.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task Write_Request_ArrivesAsOneFrame()
    {
        _bridge.Write(new BridgeRequest(7, BridgeRequest.Eval, "y = 1;"));

        var body = BridgeFraming.Read(_engineReads)!;

        await Assert.That(Encoding.UTF8.GetString(body)).IsEqualTo("{\"id\":7,\"op\":\"eval\",\"code\":\"y = 1;\"}");
    }

    [Test]
    public async Task Read_FrameArrivingInPieces_ReturnsItWhole()
    {
        var frame = Frame("{\"id\":3,\"ok\":true,\"output\":\"héllo\"}");

        _engineWrites.Write(frame.AsSpan(0, 2));
        var read = Task.Factory.StartNew(_bridge.Read, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _engineWrites.Write(frame.AsSpan(2, 5));
        _engineWrites.Write(frame.AsSpan(7));
        _engineWrites.Write(Frame("{\"id\":4,\"ok\":false}"));

        var first = await read;
        var second = _bridge.Read();
        await Assert.That((first!.Id, first.Ok, first.Output)).IsEqualTo((3L, true, "héllo"));
        await Assert.That((second!.Id, second.Ok)).IsEqualTo((4L, false));
    }

    [Test]
    public async Task Read_EngineClosesBetweenFrames_ReturnsNull()
    {
        _engineWrites.Write(Frame("{\"id\":1,\"event\":\"ready\"}"));
        await _engineWrites.DisposeAsync();

        var ready = _bridge.Read();
        var end = _bridge.Read();

        await Assert.That(ready!.IsReady).IsTrue();
        await Assert.That(end).IsNull();
    }

    [Test]
    public async Task Read_EngineClosesMidFrame_Throws()
    {
        _engineWrites.Write(Frame("{\"id\":1,\"ok\":true}").AsSpan(0, 9));
        await _engineWrites.DisposeAsync();

        Assert.ThrowsExactly<EndOfStreamException>(() => _bridge.Read());
    }

    [Test]
    public void Read_NotJson_Throws()
    {
        _engineWrites.Write(Frame("not json"));

        Assert.Throws<JsonException>(() => _bridge.Read());
    }

    private static byte[] Frame(string json) => BridgeFraming.Encode(Encoding.UTF8.GetBytes(json));
}
