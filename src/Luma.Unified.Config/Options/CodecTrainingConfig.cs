using System.ComponentModel.DataAnnotations;

namespace Luma.Unified.Config.Options;

/// <summary>
/// The configuration of <c>luma codec train</c> (configs/vae-*.yaml): which codec, what it learns from and how.
/// Sections mirror YAML sections; initializers are the defaults.
/// </summary>
public sealed record CodecTrainingConfig
{
    public RunOptions Run { get; init; } = new() { Name = "codec" };

    public CodecDataOptions Data { get; init; } = new();

    public CodecOptions Codec { get; init; } = new();

    public CodecTrainOptions Train { get; init; } = new();
}

/// <summary>Kinds of codec <c>luma codec train</c> builds.</summary>
public enum CodecKind
{
    /// <summary>Convolutional KL-regularised patch VAE for images.</summary>
    ImageVae,

    /// <summary>Convolutional waveform codec with a residual vector quantiser.</summary>
    AudioCodec,

    /// <summary>The image VAE extended in time (causal temporal compression, first frame on its own).</summary>
    VideoVae,
}

/// <summary>[codec]: the codec's architecture.</summary>
public sealed record CodecOptions : IValidatableOptions
{
    public CodecKind Kind { get; init; } = CodecKind.ImageVae;

    /// <summary>Spatial downsampling factor: 4, 8 or 16.</summary>
    [Range(4, 16)]
    public int Downsample { get; init; } = 8;

    /// <summary>Channels of the latent (image VAE), or width of each latent frame (audio codec).</summary>
    [Range(1, 1024)]
    public int LatentChannels { get; init; } = 4;

    /// <summary>Channel width of the first level (doubled below it).</summary>
    [Range(8, 512)]
    public int BaseChannels { get; init; } = 32;

    /// <summary>Weight of the KL term against the reconstruction MSE (image VAE).</summary>
    [Range(0.0, 1.0)]
    public double KlWeight { get; init; } = 1e-6;

    /// <summary>Weight of the optional adversarial (PatchGAN, hinge) term for image/video VAEs; 0 = off.</summary>
    [Range(0.0, 10.0)]
    public double AdversarialWeight { get; init; }

    /// <summary>Step from which the adversarial term is used (the reconstruction settles first).</summary>
    [Range(0, 10_000_000)]
    public int AdversarialStart { get; init; }

    /// <summary>Video VAE: frames compressed into one latent frame (after the first, which stays on its own).</summary>
    [Range(1, 16)]
    public int TemporalDownsample { get; init; } = 2;

    /// <summary>Video VAE: width of the per-frame features the temporal layers compress.</summary>
    [Range(1, 256)]
    public int FrameChannels { get; init; } = 8;

    /// <summary>Encoder strides of the audio codec; their product is the hop (samples per code frame).</summary>
    public IReadOnlyList<int> Strides { get; init; } = [2, 4, 5];

    /// <summary>Codebooks of the audio codec's residual vector quantiser (codes per frame).</summary>
    [Range(1, 32)]
    public int Codebooks { get; init; } = 4;

    /// <summary>Entries per codebook (the audio code vocabulary per codebook).</summary>
    [Range(2, 65_536)]
    public int CodebookSize { get; init; } = 256;

    /// <summary>Weight of the VQ commitment loss.</summary>
    [Range(0.0, 10.0)]
    public double CommitmentWeight { get; init; } = 0.25;

    /// <summary>Weight of the waveform MSE (audio codec).</summary>
    [Range(0.0, 1000.0)]
    public double WaveformWeight { get; init; } = 10;

    /// <summary>Weight of the multi-resolution STFT loss (audio codec).</summary>
    [Range(0.0, 1000.0)]
    public double SpectralWeight { get; init; } = 0.1;

    /// <inheritdoc/>
    public IEnumerable<OptionProblem> Validate()
    {
        if (Kind is CodecKind.ImageVae or CodecKind.VideoVae && Downsample is not (4 or 8 or 16))
        {
            yield return new(nameof(Downsample), "downsample must be 4, 8 or 16");
        }
        if (Kind == CodecKind.AudioCodec && (Strides.Count == 0 || Strides.Any(s => s is < 2 or > 16)))
        {
            yield return new(nameof(Strides), "strides must be a non-empty list of integers from 2 to 16");
        }
    }
}

/// <summary>[data]: the media a codec learns from.</summary>
public sealed record CodecDataOptions
{
    /// <summary>Datasets whose images (or audio) are used; empty = the shapes world generated in memory.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Images generated when no path is given (image codecs).</summary>
    [Range(16, 1_000_000)]
    public int SynthImages { get; init; } = 2000;

    /// <summary>Videos generated when no path is given (video codecs).</summary>
    [Range(16, 1_000_000)]
    public int SynthVideos { get; init; } = 600;

    /// <summary>Frames per training clip (video codecs): 1 + k · codec.temporal_downsample.</summary>
    [Range(1, 1024)]
    public int VideoFrames { get; init; } = 9;

    /// <summary>Audio clips generated when no path is given (audio codecs).</summary>
    [Range(16, 1_000_000)]
    public int SynthClips { get; init; } = 600;

    /// <summary>Sample rate audio is trained at; clips at another rate are an error.</summary>
    [Range(1000, 192_000)]
    public int SampleRate { get; init; } = 16_000;

    /// <summary>Length of the random crops an audio codec trains on.</summary>
    [Range(0.05, 60.0)]
    public double ClipSeconds { get; init; } = 0.5;

    /// <summary>Side images are resized to (a multiple of the downsampling factor).</summary>
    [Range(16, 1024)]
    public int ImageSize { get; init; } = 64;

    /// <summary>Fraction of images (by a stable hash of their document id) held out for PSNR.</summary>
    [Range(0.01, 0.5)]
    public double ValidationFraction { get; init; } = 0.05;
}

/// <summary>[train]: optimisation of a codec.</summary>
public sealed record CodecTrainOptions
{
    [Range(1, 10_000_000)]
    public int Steps { get; init; } = 400;

    [Range(1, 4096)]
    public int BatchSize { get; init; } = 16;

    [Range(0.0, 1.0)]
    public double Lr { get; init; } = 2e-3;

    /// <summary>Global gradient-norm clip; 0 = none. A rare large gradient otherwise sends a VAE's weights to NaN.</summary>
    [Range(0.0, 1e6)]
    public double GradClip { get; init; } = 1.0;

    [Range(1, 1_000_000)]
    public int LogEvery { get; init; } = 25;

    /// <summary>Held-out PSNR every N steps (and at the end).</summary>
    [Range(1, 1_000_000)]
    public int EvalEvery { get; init; } = 100;
}
