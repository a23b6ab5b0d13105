using System.ComponentModel.DataAnnotations;

namespace Luma.Unified.Config.Options;

/// <summary>How the continuous-latent head predicts velocity (<c>diffusion.head</c>).</summary>
public enum DiffusionHeadKind
{
    /// <summary>Transfusion: one linear layer from the backbone's hidden state to the velocity.</summary>
    Linear,

    /// <summary>MAR: a small per-token MLP denoiser that reads the noised latent and the timestep, modulated by the backbone's hidden state.</summary>
    Mlp,
}

/// <summary>How latent positions enter the backbone (<c>diffusion.input_layers</c>).</summary>
public enum LatentInputKind
{
    /// <summary>One linear projection of each position's latent channels.</summary>
    Linear,

    /// <summary>
    /// A small convolutional stem over each image's (each video frame's) latent grid, then the projection: every position
    /// carries its 3 × 3 neighbourhood, as the U-Net-style input layers of U-ViT and Transfusion do.
    /// </summary>
    Conv,
}

/// <summary>Where training draws noise levels from (<c>diffusion.timesteps</c>).</summary>
public enum TimestepDistribution
{
    /// <summary>t = sigmoid(N(logit_mean, logit_std²)), shifted: most steps at middle noise levels (SD3).</summary>
    LogitNormal,

    /// <summary>t ~ U(0, 1).</summary>
    Uniform,
}

/// <summary>The ODE solver generation integrates the velocity with (<c>diffusion.sampler</c>).</summary>
public enum FlowSamplerKind
{
    /// <summary>First order, one model evaluation per step.</summary>
    Euler,

    /// <summary>Second order, two evaluations per step.</summary>
    Heun,
}

/// <summary>[diffusion]: flow matching on the continuous latents (image, video) of the unified model.</summary>
public sealed record DiffusionOptions
{
    /// <summary>The velocity head.</summary>
    public DiffusionHeadKind Head { get; init; } = DiffusionHeadKind.Linear;

    /// <summary>The layers latent positions enter the backbone through.</summary>
    public LatentInputKind InputLayers { get; init; } = LatentInputKind.Linear;

    /// <summary>Residual blocks of the <c>mlp</c> head.</summary>
    [Range(1, 64)]
    public int MlpHeadBlocks { get; init; } = 2;

    /// <summary>Training noise-level distribution.</summary>
    public TimestepDistribution Timesteps { get; init; } = TimestepDistribution.LogitNormal;

    /// <summary>Mean of the logit-normal.</summary>
    [Range(-10.0, 10.0)]
    public double LogitMean { get; init; }

    /// <summary>Standard deviation of the logit-normal.</summary>
    [Range(0.01, 10.0)]
    public double LogitStd { get; init; } = 1.0;

    /// <summary>SD3 timestep shift s (t' = s·t / (1 + (s − 1)·t)) applied in training and sampling; 1 = none.</summary>
    [Range(0.01, 100.0)]
    public double TimestepShift { get; init; } = 1.0;

    /// <summary>Probability that a media group later content is conditioned on (an image before its caption, an earlier video frame) enters clean and untrained.</summary>
    [Range(0.0, 1.0)]
    public double CleanProbability { get; init; } = 0.5;

    /// <summary>Probability that a media segment loses its context (caption) in training, for classifier-free guidance.</summary>
    [Range(0.0, 1.0)]
    public double ConditionDropout { get; init; } = 0.1;

    /// <summary>ODE solver for generation.</summary>
    public FlowSamplerKind Sampler { get; init; } = FlowSamplerKind.Euler;

    /// <summary>Solver steps per generated image or video frame.</summary>
    [Range(1, 1000)]
    public int SamplingSteps { get; init; } = 30;

    /// <summary>Classifier-free guidance scale; 1 = the conditional prediction alone.</summary>
    [Range(0.0, 100.0)]
    public double CfgScale { get; init; } = 3.0;
}
