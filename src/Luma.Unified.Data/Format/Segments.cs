using Luma.Unified.Abstractions;
using Luma.Unified.Data.Media;

namespace Luma.Unified.Data.Format;

/// <summary>Builds <see cref="SegmentRecord"/>s for the built-in modalities with their metadata filled in.</summary>
public static class Segments
{
    public const string Text = "text";
    public const string Image = "image";
    public const string Audio = "audio";
    public const string Video = "video";

    /// <summary>A text segment.</summary>
    public static SegmentRecord OfText(string text) => new() { Modality = Text, Text = text };

    /// <summary>An image stored as PNG.</summary>
    public static SegmentRecord OfImage(RgbImage image) =>
        EncodedImage(ImageCodec.EncodePng(image), "png", image.Width, image.Height);

    /// <summary>An image already encoded (PNG or JPEG), with its size.</summary>
    public static SegmentRecord EncodedImage(byte[] data, string encoding, int width, int height) =>
        new() { Modality = Image, Data = data, Encoding = encoding, Width = width, Height = height };

    /// <summary>Audio stored as 16-bit PCM WAV.</summary>
    public static SegmentRecord OfAudio(AudioClip clip) =>
        new() { Modality = Audio, Data = WavCodec.Encode(clip), Encoding = "wav", SampleRate = clip.SampleRate, DurationSeconds = clip.DurationSeconds };

    /// <summary>Video stored as a PNG frame strip.</summary>
    public static SegmentRecord OfVideo(VideoClip clip) => new()
    {
        Modality = Video,
        Data = FrameStripCodec.Encode(clip),
        Encoding = FrameStripCodec.Encoding,
        Width = clip.Width,
        Height = clip.Height,
        Frames = clip.Frames.Count,
        Fps = clip.Fps,
        DurationSeconds = clip.DurationSeconds,
    };
}
