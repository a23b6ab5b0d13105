using Luma.Unified.Abstractions;
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

    /// <summary>An audio clip: WAV decoded in-process, anything else (FLAC, MP3, Ogg, …) through ffmpeg.</summary>
    public static SegmentRecord Audio(byte[] bytes, string name)
    {
        var (encoding, clip) = IsWav(bytes)
            ? ("wav", Decode(name, () => WavCodec.Decode(bytes)))
            : (Decode(name, () => FfmpegCodec.ContainerName(bytes)), Decode(name, () => FfmpegCodec.DecodeAudio(bytes)));
        return new SegmentRecord { Modality = Segments.Audio, Data = bytes, Encoding = encoding, SampleRate = clip.SampleRate, DurationSeconds = clip.DurationSeconds };
    }

    /// <summary>A compressed video (MP4, WebM, …), decoded through ffmpeg to check it and read its size and frame count.</summary>
    public static SegmentRecord Video(byte[] bytes, string name)
    {
        var encoding = Decode(name, () => FfmpegCodec.ContainerName(bytes));
        var clip = Decode(name, () => FfmpegCodec.DecodeVideo(bytes));
        return new SegmentRecord
        {
            Modality = Segments.Video,
            Data = bytes,
            Encoding = encoding,
            Width = clip.Width,
            Height = clip.Height,
            Frames = clip.Frames.Count,
            Fps = clip.Fps,
            DurationSeconds = clip.DurationSeconds,
        };
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

    /// <summary>
    /// Image, audio or video, recognised by the file's own signature (for sources that do not say which):
    /// PNG/JPEG and WAV by their magic bytes, MP4 (<c>ftyp</c>) as video, and anything else as audio for ffmpeg.
    /// </summary>
    public static SegmentRecord Sniff(byte[] bytes, string name) =>
        IsPng(bytes) || IsJpeg(bytes) ? Image(bytes, name)
        : IsWav(bytes) ? Audio(bytes, name)
        : bytes.Length > 8 && bytes.AsSpan(4, 4).SequenceEqual("ftyp"u8) ? Video(bytes, name)
        : Audio(bytes, name);

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
