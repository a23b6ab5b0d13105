using Luma.Unified.Data.Building;
using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Tests.Support;

/// <summary>The test classes that share one <see cref="TinyShapesRun"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TinyShapesCollection : ICollectionFixture<TinyShapesRun>
{
    public const string Name = "tiny shapes run";
}

/// <summary>
/// A unified model trained once for the multimodal tests: a shapes-world dataset of captioned 32×32 images and
/// interleaved documents, a tiny image VAE (8×8×4 latents), and 80 steps of a ~100k-parameter model.
/// </summary>
public sealed class TinyShapesRun : TrainedRun
{
    public TinyShapesRun()
    {
        Dataset = Temp.Combine("shapes");
        ShapesWorldBuilder.BuildAsync(Dataset, 300, seed: 3, new ShapesWorldOptions { ImageSize = 32, ImageWeight = 3, AudioWeight = 0, VideoWeight = 0, InterleavedWeight = 1 }, 1 << 20, 64)
            .GetAwaiter().GetResult();
        TinyCodecs.TrainImage(Temp.Combine("image-vae"));
        var config = TinyConfigs.Load(
            "data.source=shards", $"data.paths=[{Dataset}]", $"modalities.options.image.codec={Temp.Combine("image-vae")}",
            "data.seq_len=192", "data.validation_fraction=0", "train.steps=80", "train.log_every=10", "train.lr=3e-3",
            "train.ema_decay=0.9", "diffusion.sampling_steps=3");
        Train(config);
    }

    /// <summary>The shapes-world dataset (raw images, 32×32).</summary>
    public string Dataset { get; }
}
