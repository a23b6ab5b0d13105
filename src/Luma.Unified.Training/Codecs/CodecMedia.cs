using Luma.Unified.Config.Options;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Codecs;

/// <summary>
/// The images or videos a VAE trains and is measured on, as tensors in [-1, 1]: images <c>[n, 3, side, side]</c>,
/// videos <c>[n, 3, frames, side, side]</c>. Items are split by a stable hash of "documentId/segment".
/// </summary>
public sealed record CodecMedia(Tensor Train, Tensor Validation) : IDisposable
{
    /// <summary>
    /// Every image segment of the configured datasets — or, with no paths, of a generated shapes world — split by
    /// a stable hash of "documentId/segment" into training and held-out images.
    /// </summary>
    public static CodecMedia LoadImages(CodecDataOptions data, long seed, string configSource)
    {
        var images = new List<(string Key, RgbImage Image)>();
        if (data.Paths.Count == 0)
        {
            var world = new ShapesWorld(seed, new ShapesWorldOptions { ImageSize = data.ImageSize, ImageWeight = 1, AudioWeight = 0, VideoWeight = 0, InterleavedWeight = 0 });
            var generated = new (string, RgbImage)[data.SynthImages];
            Parallel.For(0, data.SynthImages, i =>
            {
                var document = world.Document(i);
                var image = document.Segments.First(s => s.Modality == Segments.Image);
                generated[i] = ($"{document.Id}/0", SegmentDecoder.Decode(image).Image!);
            });
            images.AddRange(generated);
        }
        images.AddRange(CodecSources.Segments(data, Segments.Image, configSource).Select(s => (s.Key, SegmentDecoder.Decode(s.Segment).Image!)));
        var (train, validation) = CodecSources.Split(images, data.ValidationFraction, "images", configSource);
        return new CodecMedia(ImageTensors.Stack(train, data.ImageSize), ImageTensors.Stack(validation, data.ImageSize));
    }

    /// <summary>
    /// The first <c>video_frames</c> frames of every video segment of the configured datasets (shorter videos are
    /// skipped) — or, with no paths, shapes-world videos of a shape moving in each direction.
    /// </summary>
    public static CodecMedia LoadVideos(CodecDataOptions data, long seed, string configSource)
    {
        var clips = new List<(string Key, VideoClip Clip)>();
        if (data.Paths.Count == 0)
        {
            var generated = new (string, VideoClip)[data.SynthVideos];
            Parallel.For(0, data.SynthVideos, i =>
            {
                var motion = MotionSpec.Random(new Random(Data.Corpus.SeedMixer.Mix(seed, i)));
                generated[i] = ($"video/{i}/0", motion.Render(data.ImageSize, data.VideoFrames, fps: 8));
            });
            clips.AddRange(generated);
        }
        clips.AddRange(CodecSources.Segments(data, Segments.Video, configSource)
            .Select(s => (s.Key, SegmentDecoder.Decode(s.Segment).Video!)).Where(c => c.Item2.Frames.Count >= data.VideoFrames));
        Tensor Stack(IEnumerable<VideoClip> videos)
        {
            using var scope = NewDisposeScope();
            var stacked = videos.Select(v => ImageTensors.Stack([.. v.Frames.Take(data.VideoFrames)], data.ImageSize).permute(1, 0, 2, 3).unsqueeze(0)).ToList();
            return cat(stacked, dim: 0).MoveToOuterDisposeScope();
        }
        var (train, validation) = CodecSources.Split(clips, data.ValidationFraction, $"videos of at least {data.VideoFrames} frames", configSource);
        return new CodecMedia(Stack(train), Stack(validation));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}
