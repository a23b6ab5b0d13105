using Luma.Unified.Data.Building;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Tests.Data.Media;

/// <summary>Compressed media through ffmpeg (installed by scripts/setup, which scripts/test runs).</summary>
public sealed class FfmpegCodecTests
{
    [Fact]
    public void Mp4VideoDecodesToItsFramesAndKeepsTheMotion()
    {
        Assert.True(FfmpegCodec.IsAvailable, "ffmpeg is missing: run scripts/setup");
        var clip = new MotionSpec("red", "square", "right").Render(side: 32, frames: 8, fps: 8);

        var decoded = FfmpegCodec.DecodeVideo(FfmpegCodec.EncodeMp4(clip));

        Assert.Equal((8, 32, 32), (decoded.Frames.Count, decoded.Width, decoded.Height));
        Assert.Equal(8, decoded.Fps, 3);
        double RedX(RgbImage frame) => Enumerable.Range(0, 32 * 32)
            .Where(i => frame.At(i % 32, i / 32) is { R: > 150, G: < 100, B: < 100 }).Average(i => i % 32);
        Assert.True(RedX(decoded.Frames[7]) > RedX(decoded.Frames[0]) + 10);
    }

    [Fact]
    public void FlacAudioDecodesLosslessly()
    {
        var clip = new ToneSpec(523, 0.5, "loud").Render(16_000);
        var viaWav = WavCodec.Decode(WavCodec.Encode(clip));

        var decoded = FfmpegCodec.DecodeAudio(FfmpegCodec.EncodeFlac(clip));

        Assert.Equal(16_000, decoded.SampleRate);
        Assert.Equal(viaWav.Samples, decoded.Samples);
    }

    [Fact]
    public void PackedMp4AndFlacSegmentsVerifyAndDecode()
    {
        var mp4 = FfmpegCodec.EncodeMp4(new MotionSpec("blue", "circle", "up").Render(32, 6, 6));
        var flac = FfmpegCodec.EncodeFlac(new ToneSpec(440, 1.0, "quiet").Render(8000));

        var video = MediaSegments.Sniff(mp4, "clip.mp4");
        var audio = MediaSegments.Sniff(flac, "tone.flac");

        Assert.Equal((Segments.Video, "mp4", 6, 32), (video.Modality, video.Encoding, video.Frames!.Value, video.Width!.Value));
        Assert.Equal((Segments.Audio, "flac", 8000, 1.0), (audio.Modality, audio.Encoding, audio.SampleRate!.Value, audio.DurationSeconds!.Value));
        Assert.Equal(6, SegmentDecoder.Decode(video).Video!.Frames.Count);
        Assert.Equal(8000, SegmentDecoder.Decode(audio).Audio!.Samples.Length);
    }

    [Fact]
    public void ACorruptContainerIsAnInvalidDataError()
    {
        var mp4 = FfmpegCodec.EncodeMp4(new MotionSpec("blue", "circle", "up").Render(32, 4, 4));

        var error = Assert.Throws<InvalidDataException>(() => FfmpegCodec.DecodeVideo(mp4[..(mp4.Length / 4)]));
        Assert.Contains("ff", error.Message, StringComparison.Ordinal);
    }
}
