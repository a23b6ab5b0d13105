using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Tests.Data.Media;

public sealed class MediaCodecTests
{
    [Fact]
    public void PngRoundTripsPixelsExactly()
    {
        var image = RgbImage.Blank(5, 3);
        for (var i = 0; i < image.Pixels.Length; i++)
        {
            image.Pixels[i] = (byte)(i * 7);
        }

        var decoded = ImageCodec.Decode(ImageCodec.EncodePng(image));

        Assert.Equal((5, 3), (decoded.Width, decoded.Height));
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void JpegDecodesCloseToTheOriginal()
    {
        var image = new ShapeScene("red", "square", "large", "middle", "center").Render(64);

        var decoded = ImageCodec.Decode(ImageCodec.EncodeJpeg(image, quality: 95));

        var meanError = image.Pixels.Zip(decoded.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(meanError, 0, 3);
    }

    [Fact]
    public void WavRoundTripsWithin16BitPrecision()
    {
        var clip = new ToneSpec(440, 0.5, "loud").Render(16_000);

        var decoded = WavCodec.Decode(WavCodec.Encode(clip));

        Assert.Equal(16_000, decoded.SampleRate);
        Assert.Equal(8000, decoded.Samples.Length);
        // 16-bit PCM: NAudio scales by 32767 and truncates, reading back divides by 32768: at most two steps off.
        Assert.InRange(clip.Samples.Zip(decoded.Samples, (a, b) => Math.Abs(a - b)).Max(), 0, 2.0 / 32768);
    }

    [Fact]
    public void FrameStripsRoundTripEveryFrame()
    {
        var clip = new MotionSpec("blue", "circle", "right").Render(side: 16, frames: 4, fps: 8);

        var decoded = FrameStripCodec.Decode(FrameStripCodec.Encode(clip), frames: 4, fps: 8);

        Assert.Equal(4, decoded.Frames.Count);
        for (var f = 0; f < 4; f++)
        {
            Assert.Equal(clip.Frames[f].Pixels, decoded.Frames[f].Pixels);
        }
        Assert.Throws<InvalidDataException>(() => FrameStripCodec.Decode(FrameStripCodec.Encode(clip), frames: 3, fps: 8));
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4 })]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0 })]
    public void GarbageIsAnInvalidDataError(byte[] garbage)
    {
        Assert.Throws<InvalidDataException>(() => ImageCodec.Decode(garbage));
        Assert.Throws<InvalidDataException>(() => WavCodec.Decode(garbage));
    }
}
