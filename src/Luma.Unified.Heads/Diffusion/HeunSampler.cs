using static TorchSharp.torch;

namespace Luma.Unified.Heads.Diffusion;

/// <summary>
/// Second-order ODE solver (Heun / improved Euler): an Euler step, then the average of the velocities at both
/// ends. Two evaluations per step; exact for velocities that change linearly in t.
/// </summary>
public sealed class HeunSampler : IFlowSampler
{
    /// <inheritdoc/>
    public Tensor Sample(VelocityField velocity, Tensor noise, IReadOnlyList<double> times)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times.Count, 2);
        using var scope = NewDisposeScope();
        var x = noise.alias();
        var b = noise.shape[0];
        for (var i = 0; i + 1 < times.Count; i++)
        {
            var (t0, t1) = (times[i], times[i + 1]);
            var dt = t0 - t1;
            var v0 = velocity(x, full([b], t0, device: noise.device));
            var predicted = x - dt * v0;
            var v1 = velocity(predicted, full([b], t1, device: noise.device));
            x = x - dt * 0.5 * (v0 + v1);
        }
        return x.MoveToOuterDisposeScope();
    }
}
