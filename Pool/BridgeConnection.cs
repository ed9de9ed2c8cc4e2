using System.IO.Pipelines;
using System.IO.Pipes;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace MatlabMcp.Pool;

/// <summary>
/// The bridge's two FIFOs, framed (see <see cref="BridgeFraming"/>): request frames written in the order they are
/// made, response frames read with a <see cref="PipeReader"/>. It knows nothing of ids, interrupts or the process.
/// </summary>
/// <remarks>
/// Reads wait in epoll, not on a thread: the response FIFO's descriptor is read through a pipe stream, which on Unix
/// runs on the socket engine (a FileStream over a FIFO has no asynchronous reads: its ReadAsync blocks a thread-pool
/// thread for as long as the engine is idle, one per engine, and on two cores that is the whole pool).
/// Writes stay synchronous under a lock: callers write from synchronous paths (a reload sent ahead of its eval,
/// nudges between the interrupt's awaits) and rely on frames leaving in call order, and a frame of a few hundred
/// bytes into a FIFO with room never blocks.
/// </remarks>
internal sealed class BridgeConnection : IAsyncDisposable
{
    private readonly FileStream _requests;
    private readonly AnonymousPipeClientStream _responses;
    private readonly PipeReader _reader;
    private readonly Lock _writeLock = new();

    /// <param name="requests">The request FIFO, opened for writing.</param>
    /// <param name="responses">The response FIFO, opened for reading; its descriptor passes to the connection.</param>
    public BridgeConnection(FileStream requests, FileStream responses)
    {
        _requests = requests;
        // The pipe stream must own the descriptor: disposing one over a borrowed descriptor never returns.
        var handle = responses.SafeFileHandle;
        var descriptor = handle.DangerousGetHandle();
        handle.SetHandleAsInvalid();
        _responses = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(descriptor, ownsHandle: true));
        _reader = PipeReader.Create(_responses, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
    }

    /// <summary>Writes one frame whole, in call order with every other write; throws IOException when the engine stopped reading.</summary>
    public void Write(ReadOnlySpan<byte> frame)
    {
        lock (_writeLock)
            _requests.Write(frame); // unbuffered (opened with buffer size 0): the frame is in the FIFO when this returns
    }

    /// <summary>Sends a request as one frame.</summary>
    public void Write(BridgeRequest request) =>
        Write(BridgeFraming.Encode(JsonSerializer.SerializeToUtf8Bytes(request, BridgeJson.Default.BridgeRequest)));

    /// <summary>
    /// Reads the next response frame; null on a clean end of stream. Throws on a truncated or corrupt frame
    /// (<see cref="EndOfStreamException"/>, <see cref="InvalidDataException"/>, <see cref="JsonException"/>).
    /// Not safe to call concurrently: one read loop owns it.
    /// </summary>
    public async ValueTask<BridgeResponse?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await ReadFrameAsync(cancellationToken);
            if (response is null)
                await _reader.CompleteAsync();
            return response;
        }
        catch (Exception e)
        {
            await _reader.CompleteAsync(e);
            throw;
        }
    }

    private async ValueTask<BridgeResponse?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        long need = 4;
        while (true)
        {
            // The length first, then the whole frame: one wake-up per frame however the bytes arrive.
            var result = await _reader.ReadAtLeastAsync((int)need, cancellationToken);
            if (result.IsCanceled)
                throw new ObjectDisposedException(nameof(BridgeConnection));
            var buffer = result.Buffer;
            if (BridgeFraming.TryParse(buffer, out var body, out need))
            {
                var json = new Utf8JsonReader(body);
                var response = JsonSerializer.Deserialize(ref json, BridgeJson.Default.BridgeResponse)
                    ?? throw new InvalidDataException("The engine sent a null frame.");
                _reader.AdvanceTo(body.End);
                return response;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
                return buffer.IsEmpty ? null
                    : throw new EndOfStreamException(need == 4 ? "The engine closed the pipe in the middle of a frame header."
                        : "The engine closed the pipe in the middle of a frame.");
        }
    }

    /// <summary>Closes the request pipe: the bridge loop ends at the end of its stream.</summary>
    public void CloseRequests() => _requests.Dispose();

    /// <summary>Closes both pipes; a read in progress ends with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        _requests.Dispose();
        _reader.CancelPendingRead();
        await _responses.DisposeAsync();
    }
}
