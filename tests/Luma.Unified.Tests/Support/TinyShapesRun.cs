using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Building;
using Luma.Unified.Data.Synthesis;
using Luma.Unified.Training;
using Luma.Unified.Training.Codecs;
using Luma.Unified.Training.Observability;

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
public sealed class TinyShapesRun : IDisposable
{
    private readonly TempDirectory _temp = new();

    public TinyShapesRun()
    {
        Luma.Unified.Runtime.TorchRuntime.EnsureLoaded();
        Dataset = _temp.Combine("shapes");
        ShapesWorldBuilder.BuildAsync(Dataset, 300, seed: 3, new ShapesWorldOptions { ImageSize = 32, ImageWeight = 3, AudioWeight = 0, VideoWeight = 0, InterleavedWeight = 1 }, 1 << 20, 64)
            .GetAwaiter().GetResult();
        var (codecOptions, _) = ConfigLoader.Load<CodecTrainingConfig>(Repo.Config("vae-image-64.yaml"),
            ["data.synth_images=40", "data.image_size=32", "data.validation_fraction=0.2", "codec.downsample=4", "codec.base_channels=8", "train.steps=3", "train.eval_every=3", "run.threads=1"]);
        using (var log = RunLogging.Create(jsonLogFile: null))
        {
            CodecTraining.Run(codecOptions, "vae-image-64.yaml", log, _temp.Combine("image-vae"));
        }
        Config = TinyConfigs.Load(
            "data.source=shards", $"data.paths=[{Dataset}]", $"modalities.options.image.codec={_temp.Combine("image-vae")}",
            "data.seq_len=192", "data.validation_fraction=0", "train.steps=80", "train.log_every=10", "train.lr=3e-3",
            "train.ema_decay=0.9", "diffusion.sampling_steps=3");
        Run = RunDirectory.Create(_temp.Combine("run"), Config.ToYaml());
        using var runLog = RunLogging.Create(Run.LogFile);
        Result = new Trainer(Config, Run, runLog).Run();
    }

    /// <summary>The shapes-world dataset (raw images, 32×32).</summary>
    public string Dataset { get; }

    public LoadedConfig Config { get; }

    public RunDirectory Run { get; }

    public TrainingResult Result { get; }

    public void Dispose() => _temp.Dispose();
}
