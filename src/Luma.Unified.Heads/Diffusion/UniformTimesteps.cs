using Luma.Unified.Runtime.Randomness;
using static TorchSharp.torch;

namespace Luma.Unified.Heads.Diffusion;

/// <summary>t ~ U(0, 1): every noise level equally often.</summary>
public sealed class UniformTimesteps : ITimestepSampler
{
    /// <inheritdoc/>
    public Tensor Sample(long count, Generator? generator, Device device) => SeededDraw.Uniform([count], generator, device);
}
