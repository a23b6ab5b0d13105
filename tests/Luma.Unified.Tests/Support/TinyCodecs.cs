using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Training.Codecs;
using Luma.Unified.Training.Observability;

namespace Luma.Unified.Tests.Support;

/// <summary>One tiny image VAE, video VAE and audio codec (a few steps each), trained once for the tests that need saved codecs.</summary>
public sealed class TinyCodecs : IDisposable
{
    private readonly TempDirectory _temp = new();

    public TinyCodecs()
    {
        Luma.Unified.Runtime.TorchRuntime.EnsureLoaded();
        Image = TrainImage(_temp.Combine("image"));
        Video = TrainVideo(_temp.Combine("video"));
        Audio = Train("codec-audio-16k.yaml", _temp.Combine("audio"), AudioOverrides("codec.strides=[2, 4]"));
    }

    /// <summary>Image VAE for 32×32 images, f = 4: 4×8×8 latents.</summary>
    public string Image { get; }

    /// <summary>Video VAE for 16×16 frames: 9 frames → 4×5×4×4 latents.</summary>
    public string Video { get; }

    /// <summary>Audio codec at 16 kHz, hop 8, 2 codebooks of 32.</summary>
    public string Audio { get; }

    public void Dispose() => _temp.Dispose();

    /// <summary>Trains the image VAE for 32×32 images (f = 4, 4×8×8 latents) into <paramref name="directory"/>.</summary>
    public static string TrainImage(string directory) =>
        Train("vae-image-64.yaml", directory, "data.synth_images=40", "data.image_size=32", "data.validation_fraction=0.2", "codec.downsample=4", "codec.base_channels=8");

    /// <summary>Trains the video VAE for 16×16 frames into <paramref name="directory"/>.</summary>
    public static string TrainVideo(string directory) =>
        Train("vae-video-32.yaml", directory, "data.synth_videos=40", "data.image_size=16", "data.validation_fraction=0.2", "codec.base_channels=8");

    /// <summary>Overrides of a tiny 16 kHz audio codec (2 codebooks of 32) with <paramref name="strides"/> setting its hop.</summary>
    public static string[] AudioOverrides(string strides) =>
        ["data.synth_clips=40", "data.clip_seconds=0.1", "data.validation_fraction=0.2", strides, "codec.base_channels=8", "codec.latent_channels=16", "codec.codebooks=2", "codec.codebook_size=32"];

    /// <summary>Trains <paramref name="config"/> with <paramref name="overrides"/> for 3 steps into <paramref name="directory"/>.</summary>
    public static string Train(string config, string directory, params string[] overrides)
    {
        var (options, _) = ConfigLoader.Load<CodecTrainingConfig>(Repo.Config(config), [.. overrides, "train.steps=3", "train.eval_every=3", "run.threads=1"]);
        using var log = RunLogging.Create(jsonLogFile: null);
        CodecTraining.Run(options, config, log, directory);
        return directory;
    }
}
