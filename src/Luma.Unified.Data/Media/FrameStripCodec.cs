namespace Luma.Unified.Data.Media;

/// <summary>
/// The built-in video encoding <c>png-frames</c>: all frames side by side in one lossless PNG
/// (<c>frames × width</c> wide). Short synthetic clips compress well this way, decode in-process, and a
/// person can open the strip in any image viewer. Compressed video (MP4) is decoded through ffmpeg instead.
/// </summary>
public static class FrameStripCodec
{
    /// <summary>The name stored in a segment's <c>encoding</c>.</summary>
    public const string Encoding = "png-frames";

    /// <summary>One PNG holding every frame of <paramref name="clip"/> from left to right.</summary>
    public static byte[] Encode(VideoClip clip)
    {
        var (width, height) = (clip.Width, clip.Height);
        var strip = RgbImage.Blank(width * clip.Frames.Count, height);
        for (var f = 0; f < clip.Frames.Count; f++)
        {
            var frame = clip.Frames[f];
            if (frame.Width != width || frame.Height != height)
            {
                throw new ArgumentException($"frame {f} is {frame.Width}×{frame.Height}, expected {width}×{height}");
            }
            for (var y = 0; y < height; y++)
            {
                Array.Copy(frame.Pixels, y * width * 3, strip.Pixels, (y * strip.Width + f * width) * 3, width * 3);
            }
        }
        return ImageCodec.EncodePng(strip);
    }

    /// <summary>Splits a strip back into <paramref name="frames"/> frames.</summary>
    public static VideoClip Decode(byte[] encoded, int frames, double fps)
    {
        var strip = ImageCodec.Decode(encoded);
        if (frames < 1 || strip.Width % frames != 0)
        {
            throw new InvalidDataException($"a {strip.Width}-pixel-wide strip cannot hold {frames} equal frames");
        }
        var width = strip.Width / frames;
        var result = new List<RgbImage>(frames);
        for (var f = 0; f < frames; f++)
        {
            var frame = RgbImage.Blank(width, strip.Height);
            for (var y = 0; y < strip.Height; y++)
            {
                Array.Copy(strip.Pixels, (y * strip.Width + f * width) * 3, frame.Pixels, y * width * 3, width * 3);
            }
            result.Add(frame);
        }
        return new VideoClip(result, fps);
    }
}
