using Luma.Unified.Config.Options;
using Luma.Unified.Heads.Diffusion;

namespace Luma.Unified.Model.Generation;

/// <summary>
/// How continuous latents are generated: the ODE solver, its steps, the guidance scale, the seed, and the SD3 shift
/// of the solver's time grid (the one training drew its timesteps with).
/// </summary>
public sealed record LatentSampling(FlowSamplerKind Sampler, int Steps, double CfgScale, long Seed = 0, double Shift = 1)
{
    /// <summary>The settings of the config's <c>diffusion</c> section.</summary>
    public static LatentSampling From(DiffusionOptions options, long seed = 0) =>
        new(options.Sampler, options.SamplingSteps, options.CfgScale, seed, options.TimestepShift);

    /// <summary>The noise levels the solver steps through (<see cref="FlowTimeGrid.Shifted"/>).</summary>
    public double[] Times() => FlowTimeGrid.Shifted(Steps, Shift);

    /// <summary>The solver.</summary>
    public IFlowSampler Solver() => Sampler == FlowSamplerKind.Heun ? new HeunSampler() : new EulerSampler();
}
