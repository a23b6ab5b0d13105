using Luma.Unified.Runtime.Randomness;
using static TorchSharp.torch;

namespace Luma.Unified.Heads.Diffusion;

/// <summary>
/// t = sigmoid(u), u ~ N(mean, std²), then shifted (SD3): t' = s·t / (1 + (s − 1)·t). The logit-normal puts more
/// steps at middle noise levels, where the velocity is hardest to predict; a shift s &gt; 1 moves them toward
/// noise, which higher-resolution latents need.
/// </summary>
public sealed class LogitNormalTimesteps(double mean = 0, double std = 1, double shift = 1) : ITimestepSampler
{
    /// <inheritdoc/>
    public Tensor Sample(long count, Generator? generator, Device device)
    {
        using var scope = NewDisposeScope();
        var t = (SeededDraw.Normal([count], generator, device) * std + mean).sigmoid();
        return Shift(t, shift).MoveToOuterDisposeScope();
    }

    /// <summary>The SD3 timestep shift s·t / (1 + (s − 1)·t); s = 1 leaves t unchanged.</summary>
    public static Tensor Shift(Tensor t, double shift) => shift == 1 ? t.alias() : shift * t / (1 + (shift - 1) * t);
}
