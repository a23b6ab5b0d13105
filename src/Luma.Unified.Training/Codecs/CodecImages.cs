using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Loading;
using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Codecs;

/// <summary>The images a codec trains and is measured on, as <c>[n, 3, side, side]</c> tensors in [-1, 1].</summary>
public sealed record CodecImages(Tensor Train, Tensor Validation) : IDisposable
{
    /// <summary>
    /// Every image segment of the configured datasets — or, with no paths, of a generated shapes world — split by
    /// a stable hash of "documentId/segment" into training and held-out images.
    /// </summary>
    public static CodecImages Load(CodecDataOptions data, long seed, string configSource)
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
        return new CodecImages(ImageTensors.Stack(train, data.ImageSize), ImageTensors.Stack(validation, data.ImageSize));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}
