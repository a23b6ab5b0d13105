using Luma.Unified.Abstractions;
using Luma.Unified.Data.Format;

namespace Luma.Unified.Data.Media;

/// <summary>
/// Decodes a stored segment by its encoding and checks it against its metadata: PNG, JPEG, WAV and PNG frame
/// strips in-process, compressed video and audio containers through ffmpeg. Every failure is an
/// <see cref="InvalidDataException"/> whose message says what is wrong; callers add shard and row.
/// </summary>
public static class SegmentDecoder
{
    /// <summary>The decoded payload of <paramref name="segment"/>.</summary>
    public static DecodedMedia Decode(SegmentRecord segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (segment.Modality == Segments.Text)
        {
            return new DecodedMedia(Text: segment.Text ?? throw new InvalidDataException("text segment without text"));
        }
        if (segment.Data is null || segment.Data.Length == 0)
        {
            throw new InvalidDataException($"{segment.Modality} segment without data");
        }
        return segment.Encoding switch
        {
            "png" or "jpeg" => CheckImage(segment, ImageCodec.Decode(segment.Data)),
            "wav" => CheckAudio(segment, WavCodec.Decode(segment.Data)),
            FrameStripCodec.Encoding => CheckVideo(segment, FrameStripCodec.Decode(segment.Data,
                segment.Frames ?? throw new InvalidDataException("video segment without a frame count"),
                segment.Fps ?? throw new InvalidDataException("video segment without fps"))),
            EncodedMedia.LatentEncoding or EncodedMedia.CodeEncoding => new DecodedMedia(Encoded: EncodedMedia.FromSegment(segment)),
            null => throw new InvalidDataException($"{segment.Modality} segment without an encoding"),
            // Anything else is a compressed container (MP4, FLAC, …): ffmpeg decodes it.
            _ when segment.Modality == Segments.Video => CheckVideo(segment, FfmpegCodec.DecodeVideo(segment.Data)),
            _ when segment.Modality == Segments.Audio => CheckAudio(segment, FfmpegCodec.DecodeAudio(segment.Data)),
            _ => throw new InvalidDataException($"no decoder for {segment.Modality} encoded as '{segment.Encoding}' (images: png, jpeg)"),
        };
    }

    private static DecodedMedia CheckImage(SegmentRecord segment, RgbImage image)
    {
        if ((segment.Width is { } w && w != image.Width) || (segment.Height is { } h && h != image.Height))
        {
            throw new InvalidDataException($"image is {image.Width}×{image.Height} but its metadata says {segment.Width}×{segment.Height}");
        }
        return new DecodedMedia(Image: image);
    }

    private static DecodedMedia CheckAudio(SegmentRecord segment, AudioClip clip)
    {
        if (segment.SampleRate is { } rate && rate != clip.SampleRate)
        {
            throw new InvalidDataException($"audio is sampled at {clip.SampleRate} Hz but its metadata says {rate} Hz");
        }
        if (segment.DurationSeconds is { } duration && Math.Abs(duration - clip.DurationSeconds) > 1.0 / clip.SampleRate)
        {
            throw new InvalidDataException(FormattableString.Invariant($"audio lasts {clip.DurationSeconds:0.###} s but its metadata says {duration:0.###} s"));
        }
        return new DecodedMedia(Audio: clip);
    }

    private static DecodedMedia CheckVideo(SegmentRecord segment, VideoClip clip)
    {
        if ((segment.Width is { } w && w != clip.Width) || (segment.Height is { } h && h != clip.Height))
        {
            throw new InvalidDataException($"video frames are {clip.Width}×{clip.Height} but its metadata says {segment.Width}×{segment.Height}");
        }
        if (segment.Frames is { } frames && frames != clip.Frames.Count)
        {
            throw new InvalidDataException($"video has {clip.Frames.Count} frames but its metadata says {frames}");
        }
        return new DecodedMedia(Video: clip);
    }
}
