using static TorchSharp.torch;

namespace Luma.Unified.Heads.Diffusion;

/// <summary>First-order ODE solver: x ← x − Δt·v(x, t). One velocity evaluation per step.</summary>
public sealed class EulerSampler : IFlowSampler
{
    /// <inheritdoc/>
    public Tensor Sample(VelocityField velocity, Tensor noise, IReadOnlyList<double> times)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times.Count, 2);
        using var scope = NewDisposeScope();
        var x = noise.alias();
        for (var i = 0; i + 1 < times.Count; i++)
        {
            var t = full([noise.shape[0]], times[i], device: noise.device);
            x = x - (times[i] - times[i + 1]) * velocity(x, t);
        }
        return x.MoveToOuterDisposeScope();
    }
}
