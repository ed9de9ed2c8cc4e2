using System.Text.Json;

namespace MatlabMcp.Pool;

/// <summary>
/// The bridge's two FIFOs, framed (see <see cref="BridgeFraming"/>): request frames written in the order they are
/// made, response frames read one at a time by a single reader. It knows nothing of ids, interrupts or the process.
/// </summary>
/// <remarks>
/// Responses are read by blocking reads on a thread of the engine's own, not by a PipeReader, because that measured
/// faster on FIFOs (bench/ <c>--only bridge</c>, Engine.EvalAsync("y = 1;"), 7 alternating runs each on 2 loaded cores,
/// medians): one engine p50 0.55 ms on the thread against 0.63 ms with a PipeReader, 4 engines at once 1871 against
/// 1594 calls/s, CPU per call 0.51 against 0.55 ms (one engine) and 0.40 against 0.42 ms (four). Through the whole
/// stdio server (3 runs each) the two did not differ beyond the noise: p50 2.7 against 2.4 ms, 616 against 641 calls/s.
/// A FIFO has no asynchronous reads in .NET: a PipeReader over its FileStream blocks a thread-pool thread in every
/// ReadAsync, one per idle engine, and on two cores that is the whole pool (the first answers of the server then wait
/// for the pool to grow). The PipeReader measured above read through a pipe stream on the socket engine (epoll, no
/// thread waiting), which costs a hop from the epoll thread to the pool for every frame: the thread's read wakes where
/// it waits and hands the response straight to its caller.
/// Writes are synchronous under a lock: callers write from synchronous paths (a reload sent ahead of its eval, nudges
/// between the interrupt's awaits) and rely on frames leaving in call order, and a small frame into a FIFO with room
/// never blocks.
/// </remarks>
internal sealed class BridgeConnection(FileStream requests, FileStream responses) : IDisposable
{
    private readonly Lock _writeLock = new();

    /// <summary>Writes one frame whole, in call order with every other write; throws IOException when the engine stopped reading.</summary>
    public void Write(ReadOnlySpan<byte> frame)
    {
        lock (_writeLock)
        {
            requests.Write(frame);
            requests.Flush();
        }
    }

    /// <summary>Sends a request as one frame.</summary>
    public void Write(BridgeRequest request) =>
        Write(BridgeFraming.Encode(JsonSerializer.SerializeToUtf8Bytes(request, BridgeJson.Default.BridgeRequest)));

    /// <summary>
    /// Blocks until the next response frame; null on a clean end of stream. Throws on a truncated or corrupt frame
    /// (<see cref="EndOfStreamException"/>, <see cref="InvalidDataException"/>, <see cref="JsonException"/>) and with
    /// <see cref="IOException"/> or <see cref="ObjectDisposedException"/> once the connection is closed.
    /// Not safe to call concurrently: one reader thread owns it.
    /// </summary>
    public BridgeResponse? Read() =>
        BridgeFraming.Read(responses) is { } body
            ? JsonSerializer.Deserialize(body, BridgeJson.Default.BridgeResponse) ?? throw new InvalidDataException("The engine sent a null frame.")
            : null;

    /// <summary>Closes the request pipe: the bridge loop ends at the end of its stream.</summary>
    public void CloseRequests() => requests.Dispose();

    public void Dispose()
    {
        requests.Dispose();
        responses.Dispose();
    }
}
