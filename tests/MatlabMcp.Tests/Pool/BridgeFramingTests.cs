using System.Buffers;
using System.Text;
using MatlabMcp.Pool;

namespace MatlabMcp.Tests.Pool;

public sealed class BridgeFramingTests
{
    [Test]
    public async Task Read_EncodedFrame_ReturnsBody()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":1}");
        using var stream = new MemoryStream([.. BridgeFraming.Encode(body), .. BridgeFraming.Encode(body)]);

        await Assert.That(BridgeFraming.Read(stream)!.AsEnumerable()).IsEquivalentTo(body, CollectionOrdering.Matching);
        await Assert.That(BridgeFraming.Read(stream)!.AsEnumerable()).IsEquivalentTo(body, CollectionOrdering.Matching);
        await Assert.That(BridgeFraming.Read(stream)).IsNull();
    }

    [Test]
    public async Task Read_CleanEndOfStream_ReturnsNull()
    {
        await Assert.That(BridgeFraming.Read(new MemoryStream())).IsNull();
    }

    [Test]
    public void Read_TruncatedBody_Throws()
    {
        var frame = BridgeFraming.Encode(Encoding.UTF8.GetBytes("{\"id\":1,\"ok\":true}"));

        Assert.ThrowsExactly<EndOfStreamException>(() => BridgeFraming.Read(new MemoryStream(frame[..^3])));
    }

    [Test]
    public void Read_TruncatedHeader_Throws()
    {
        Assert.ThrowsExactly<EndOfStreamException>(() => BridgeFraming.Read(new MemoryStream([1, 0])));
    }

    [Test]
    public void Read_AbsurdLength_ThrowsInsteadOfAllocating()
    {
        Assert.ThrowsExactly<InvalidDataException>(() => BridgeFraming.Read(new MemoryStream([0xff, 0xff, 0xff, 0xff])));
    }

    [Test]
    public async Task Nudge_IsAnEmptyFrame()
    {
        await Assert.That(BridgeFraming.Read(new MemoryStream(BridgeFraming.Nudge))!).IsEmpty();
    }

    [Test]
    public async Task TryParse_WholeFrameThenMore_ReturnsTheFirstBody()
    {
        var first = BridgeFraming.Encode("{\"id\":1}"u8);
        var buffer = new ReadOnlySequence<byte>([.. first, .. BridgeFraming.Encode("{\"id\":2}"u8)]);

        var parsed = BridgeFraming.TryParse(buffer, out var body, out var frameBytes);

        await Assert.That(parsed).IsTrue();
        await Assert.That(frameBytes).IsEqualTo(first.Length);
        await Assert.That(Encoding.UTF8.GetString(body)).IsEqualTo("{\"id\":1}");
    }

    [Test]
    public async Task TryParse_PartialHeader_AsksForTheHeader()
    {
        var parsed = BridgeFraming.TryParse(new ReadOnlySequence<byte>([7, 0]), out _, out var frameBytes);

        await Assert.That((parsed, frameBytes)).IsEqualTo((false, 4L));
    }

    [Test]
    public async Task TryParse_PartialBody_AsksForTheWholeFrame()
    {
        var frame = BridgeFraming.Encode("{\"id\":1}"u8);

        var parsed = BridgeFraming.TryParse(new ReadOnlySequence<byte>(frame[..^1]), out _, out var frameBytes);

        await Assert.That((parsed, frameBytes)).IsEqualTo((false, (long)frame.Length));
    }

    [Test]
    public async Task TryParse_FrameAcrossSegments_ReturnsItsBody()
    {
        var frame = BridgeFraming.Encode("{\"id\":12345}"u8);
        var buffer = Segments.Of(frame[..2], frame[2..7], frame[7..]);

        var parsed = BridgeFraming.TryParse(buffer, out var body, out _);

        await Assert.That(parsed).IsTrue();
        await Assert.That(Encoding.UTF8.GetString(body)).IsEqualTo("{\"id\":12345}");
    }

    [Test]
    public void TryParse_AbsurdLength_Throws()
    {
        Assert.ThrowsExactly<InvalidDataException>(() => BridgeFraming.TryParse(new ReadOnlySequence<byte>([0xff, 0xff, 0xff, 0xff]), out _, out _));
    }

    /// <summary>A byte sequence in several segments, as a pipe hands out bytes that arrived in several reads.</summary>
    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(byte[] bytes, long start)
        {
            Memory = bytes;
            RunningIndex = start;
        }

        public static ReadOnlySequence<byte> Of(params byte[][] parts)
        {
            var first = new Segments(parts[0], 0);
            var last = first;
            foreach (var part in parts.Skip(1))
            {
                var next = new Segments(part, last.RunningIndex + last.Memory.Length);
                last.Next = next;
                last = next;
            }
            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
