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
}

/// <summary>[codec]: the codec's architecture.</summary>
public sealed record CodecOptions : IValidatableOptions
{
    public CodecKind Kind { get; init; } = CodecKind.ImageVae;

    /// <summary>Spatial downsampling factor: 4, 8 or 16.</summary>
    [Range(4, 16)]
    public int Downsample { get; init; } = 8;

    /// <summary>Channels of the latent.</summary>
    [Range(1, 64)]
    public int LatentChannels { get; init; } = 4;

    /// <summary>Channel width of the first level (doubled below it).</summary>
    [Range(8, 512)]
    public int BaseChannels { get; init; } = 32;

    /// <summary>Weight of the KL term against the reconstruction MSE.</summary>
    [Range(0.0, 1.0)]
    public double KlWeight { get; init; } = 1e-6;

    /// <inheritdoc/>
    public IEnumerable<OptionProblem> Validate()
    {
        if (Downsample is not (4 or 8 or 16))
        {
            yield return new(nameof(Downsample), "downsample must be 4, 8 or 16");
        }
    }
}

/// <summary>[data]: the images a codec learns from.</summary>
public sealed record CodecDataOptions
{
    /// <summary>Datasets whose images are used; empty = the shapes world generated in memory (<see cref="SynthImages"/> images).</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Images generated when no path is given.</summary>
    [Range(16, 1_000_000)]
    public int SynthImages { get; init; } = 2000;

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

    [Range(1, 1_000_000)]
    public int LogEvery { get; init; } = 25;

    /// <summary>Held-out PSNR every N steps (and at the end).</summary>
    [Range(1, 1_000_000)]
    public int EvalEvery { get; init; } = 100;
}
