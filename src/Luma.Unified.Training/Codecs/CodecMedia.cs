using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Loading;
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
        for (var p = 0; p < data.Paths.Count; p++)
        {
            ShardedDataset dataset;
            try
            {
                dataset = ShardedDataset.Open(data.Paths[p]);
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
            {
                throw ConfigException.At(configSource, $"data.paths[{p}]", data.Paths[p], e.Message);
            }
            foreach (var (_, _, document) in dataset.ReadAllAsync().ToBlockingEnumerable())
            {
                for (var s = 0; s < document.Segments.Count; s++)
                {
                    if (document.Segments[s].Modality == Segments.Image)
                    {
                        images.Add(($"{document.Id}/{s}", SegmentDecoder.Decode(document.Segments[s]).Image!));
                    }
                }
            }
        }
        var validation = images.Where(i => DocumentFilter.IsHeldOut(i.Key, data.ValidationFraction)).Select(i => i.Image).ToList();
        var train = images.Where(i => !DocumentFilter.IsHeldOut(i.Key, data.ValidationFraction)).Select(i => i.Image).ToList();
        if (train.Count == 0 || validation.Count == 0)
        {
            throw ConfigException.At(configSource, "data", null, $"found {train.Count} training and {validation.Count} held-out images; an image codec needs both (more images, or another validation_fraction).");
        }
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
        for (var p = 0; p < data.Paths.Count; p++)
        {
            ShardedDataset dataset;
            try
            {
                dataset = ShardedDataset.Open(data.Paths[p]);
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
            {
                throw ConfigException.At(configSource, $"data.paths[{p}]", data.Paths[p], e.Message);
            }
            foreach (var (_, _, document) in dataset.ReadAllAsync().ToBlockingEnumerable())
            {
                for (var s = 0; s < document.Segments.Count; s++)
                {
                    if (document.Segments[s].Modality == Segments.Video && SegmentDecoder.Decode(document.Segments[s]).Video is { } clip && clip.Frames.Count >= data.VideoFrames)
                    {
                        clips.Add(($"{document.Id}/{s}", clip));
                    }
                }
            }
        }
        Tensor Stack(IEnumerable<VideoClip> videos)
        {
            using var scope = NewDisposeScope();
            var stacked = videos.Select(v => ImageTensors.Stack([.. v.Frames.Take(data.VideoFrames)], data.ImageSize).permute(1, 0, 2, 3).unsqueeze(0)).ToList();
            return cat(stacked, dim: 0).MoveToOuterDisposeScope();
        }
        var validation = clips.Where(c => DocumentFilter.IsHeldOut(c.Key, data.ValidationFraction)).Select(c => c.Clip).ToList();
        var train = clips.Where(c => !DocumentFilter.IsHeldOut(c.Key, data.ValidationFraction)).Select(c => c.Clip).ToList();
        if (train.Count == 0 || validation.Count == 0)
        {
            throw ConfigException.At(configSource, "data", null, $"found {train.Count} training and {validation.Count} held-out videos of at least {data.VideoFrames} frames; a video codec needs both.");
        }
        return new CodecMedia(Stack(train), Stack(validation));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}
