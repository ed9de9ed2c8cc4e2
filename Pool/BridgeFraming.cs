using System.Buffers.Binary;

namespace MatlabMcp.Pool;

/// <summary>
/// Frames on the bridge pipes: a little-endian uint32 length, then that many bytes of UTF-8 JSON.
/// A zero-length frame is a "nudge" the bridge reads and ignores (see <see cref="Engine"/>'s interrupt).
/// Lines cannot frame a FIFO for Octave: fgetl blocks until its buffer fills.
/// </summary>
internal static class BridgeFraming
{
    /// <summary>Largest frame accepted from an engine; anything bigger means the stream is corrupt.</summary>
    public const int MaxFrameBytes = 256 * 1024 * 1024;

    public static byte[] Encode(ReadOnlySpan<byte> body)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)body.Length);
        body.CopyTo(frame.AsSpan(4));
        return frame;
    }

    public static readonly byte[] Nudge = new byte[4];

    /// <summary>Reads one frame body; null on a clean end of stream, throws on a truncated frame.</summary>
    public static byte[]? Read(Stream stream)
    {
        Span<byte> prefix = stackalloc byte[4];
        var got = ReadFully(stream, prefix);
        if (got == 0)
            return null;
        if (got < 4)
            throw new EndOfStreamException("The engine closed the pipe in the middle of a frame header.");
        var length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        if (length > MaxFrameBytes)
            throw new InvalidDataException($"Frame of {length} bytes exceeds the {MaxFrameBytes}-byte limit.");
        var body = new byte[length];
        if (ReadFully(stream, body) < body.Length)
            throw new EndOfStreamException("The engine closed the pipe in the middle of a frame.");
        return body;
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0)
                break;
            total += n;
        }
        return total;
    }
}
