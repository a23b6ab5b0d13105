using static TorchSharp.torch;

namespace Luma.Unified.Heads.Diffusion;

/// <summary>Draws the noise levels t ∈ (0, 1) a flow-matching training step uses (t = 1 is pure noise).</summary>
public interface ITimestepSampler
{
    /// <summary><paramref name="count"/> timesteps <c>[count]</c>, fp32, drawn with <paramref name="generator"/>.</summary>
    Tensor Sample(long count, Generator? generator, Device device);
}
