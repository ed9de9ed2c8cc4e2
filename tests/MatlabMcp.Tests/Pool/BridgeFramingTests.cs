using System.Text;
using MatlabMcp.Pool;

namespace MatlabMcp.Tests.Pool;

public sealed class BridgeFramingTests
{
    [Fact]
    public void Read_EncodedFrame_ReturnsBody()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":1}");
        using var stream = new MemoryStream([.. BridgeFraming.Encode(body), .. BridgeFraming.Encode(body)]);

        Assert.Equal(body, BridgeFraming.Read(stream));
        Assert.Equal(body, BridgeFraming.Read(stream));
        Assert.Null(BridgeFraming.Read(stream));
    }

    [Fact]
    public void Read_CleanEndOfStream_ReturnsNull()
    {
        Assert.Null(BridgeFraming.Read(new MemoryStream()));
    }

    [Fact]
    public void Read_TruncatedBody_Throws()
    {
        var frame = BridgeFraming.Encode(Encoding.UTF8.GetBytes("{\"id\":1,\"ok\":true}"));

        Assert.Throws<EndOfStreamException>(() => BridgeFraming.Read(new MemoryStream(frame[..^3])));
    }

    [Fact]
    public void Read_TruncatedHeader_Throws()
    {
        Assert.Throws<EndOfStreamException>(() => BridgeFraming.Read(new MemoryStream([1, 0])));
    }

    [Fact]
    public void Read_AbsurdLength_ThrowsInsteadOfAllocating()
    {
        Assert.Throws<InvalidDataException>(() => BridgeFraming.Read(new MemoryStream([0xff, 0xff, 0xff, 0xff])));
    }

    [Fact]
    public void Nudge_IsAnEmptyFrame()
    {
        Assert.Empty(BridgeFraming.Read(new MemoryStream(BridgeFraming.Nudge))!);
    }
}
