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
}
