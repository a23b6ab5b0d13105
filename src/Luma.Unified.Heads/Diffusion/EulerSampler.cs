using static TorchSharp.torch;

namespace Luma.Unified.Heads.Diffusion;

/// <summary>First-order ODE solver: x ← x − Δt·v(x, t). One velocity evaluation per step.</summary>
public sealed class EulerSampler : IFlowSampler
{
    /// <inheritdoc/>
    public Tensor Sample(VelocityField velocity, Tensor noise, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        using var scope = NewDisposeScope();
        var x = noise.alias();
        var dt = 1.0 / steps;
        for (var i = 0; i < steps; i++)
        {
            var t = full([noise.shape[0]], 1.0 - i * dt, device: noise.device);
            x = x - dt * velocity(x, t);
        }
        return x.MoveToOuterDisposeScope();
    }
}
