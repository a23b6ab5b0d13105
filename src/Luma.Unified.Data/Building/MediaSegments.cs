using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;

namespace Luma.Unified.Data.Building;

/// <summary>
/// Stored segments from media files users already have: the bytes are kept as they are and decoded once to
/// check them and to fill in their metadata. Failures are <see cref="InvalidDataException"/>s naming the item.
/// </summary>
public static class MediaSegments
{
    /// <summary>A PNG or JPEG image.</summary>
    public static SegmentRecord Image(byte[] bytes, string name)
    {
        var encoding = IsPng(bytes) ? "png"
            : IsJpeg(bytes) ? "jpeg"
            : throw new InvalidDataException($"{name}: only PNG and JPEG images are supported");
        var image = Decode(name, () => ImageCodec.Decode(bytes));
        return Segments.EncodedImage(bytes, encoding, image.Width, image.Height);
    }

    /// <summary>A WAV clip.</summary>
    public static SegmentRecord Audio(byte[] bytes, string name)
    {
        if (!IsWav(bytes))
        {
            throw new InvalidDataException($"{name}: only WAV audio is supported in-process (not a RIFF/WAV file)");
        }
        var clip = Decode(name, () => WavCodec.Decode(bytes));
        return new SegmentRecord { Modality = Segments.Audio, Data = bytes, Encoding = "wav", SampleRate = clip.SampleRate, DurationSeconds = clip.DurationSeconds };
    }

    /// <summary>A video stored as a PNG frame strip of <paramref name="frames"/> frames.</summary>
    public static SegmentRecord FrameStrip(byte[] bytes, string name, int frames, double fps)
    {
        var clip = Decode(name, () => FrameStripCodec.Decode(bytes, frames, fps));
        return new SegmentRecord
        {
            Modality = Segments.Video,
            Data = bytes,
            Encoding = FrameStripCodec.Encoding,
            Width = clip.Width,
            Height = clip.Height,
            Frames = frames,
            Fps = fps,
            DurationSeconds = clip.DurationSeconds,
        };
    }

    /// <summary>Image or audio, recognised by the file's own signature (for sources that do not say which).</summary>
    public static SegmentRecord Sniff(byte[] bytes, string name) =>
        IsPng(bytes) || IsJpeg(bytes) ? Image(bytes, name)
        : IsWav(bytes) ? Audio(bytes, name)
        : throw new InvalidDataException($"{name}: neither a PNG/JPEG image nor a WAV file");

    private static bool IsPng(byte[] bytes) => bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]);

    private static bool IsJpeg(byte[] bytes) => bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]);

    private static bool IsWav(byte[] bytes) => bytes.AsSpan().StartsWith("RIFF"u8);

    private static T Decode<T>(string name, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{name}: {e.Message}", e);
        }
    }
}
