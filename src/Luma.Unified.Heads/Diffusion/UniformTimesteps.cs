using static TorchSharp.torch;

namespace Luma.Unified.Heads.Diffusion;

/// <summary>t ~ U(0, 1): every noise level equally often.</summary>
public sealed class UniformTimesteps : ITimestepSampler
{
    /// <inheritdoc/>
    public Tensor Sample(long count, Generator? generator, Device device) => rand([count], generator: generator, device: device);
}
