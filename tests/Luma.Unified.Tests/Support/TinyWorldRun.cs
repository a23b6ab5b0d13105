using Luma.Unified.Data.Building;
using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Tests.Support;

/// <summary>The test classes that share one <see cref="TinyWorldRun"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TinyWorldCollection : ICollectionFixture<TinyWorldRun>
{
    public const string Name = "tiny world run";
}

/// <summary>
/// A unified model trained once on every shapes-world medium: captioned 32×32 images, tones and 16×16 moving-shape
/// videos, through a tiny image VAE, video VAE and audio codec (a few steps each; the audio codec hops 160 samples
/// with 2 codebooks, 200 tokens a second, so a tone fits a row), then 30 steps of a ~100k-parameter model.
/// </summary>
public sealed class TinyWorldRun : TrainedRun
{
    public TinyWorldRun()
    {
        var dataset = Temp.Combine("world");
        ShapesWorldBuilder.BuildAsync(dataset, 120, seed: 5, new ShapesWorldOptions { ImageSize = 32, VideoSize = 16, ImageWeight = 1, AudioWeight = 1, VideoWeight = 1, InterleavedWeight = 0 }, 1 << 20, 64)
            .GetAwaiter().GetResult();
        var image = TinyCodecs.TrainImage(Temp.Combine("image"));
        var video = TinyCodecs.TrainVideo(Temp.Combine("video"));
        var audio = TinyCodecs.Train("codec-audio-16k.yaml", Temp.Combine("audio"), TinyCodecs.AudioOverrides("codec.strides=[4, 5, 8]"));
        var config = TinyConfigs.Load(
            "data.source=shards", $"data.paths=[{dataset}]", $"modalities.options.image.codec={image}",
            $"modalities.options.video.codec={video}", $"modalities.options.audio.codec={audio}",
            "data.seq_len=384", "model.max_seq_len=512", "data.validation_fraction=0", "train.steps=30", "train.log_every=10",
            "train.lr=3e-3", "diffusion.sampling_steps=2");
        Train(config);
    }
}
