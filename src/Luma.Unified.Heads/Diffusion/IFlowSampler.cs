using static TorchSharp.torch;

namespace Luma.Unified.Heads.Diffusion;

/// <summary>A velocity field: (x_t <c>[b, ...]</c>, t <c>[b]</c>) → predicted velocity, same shape as x_t.</summary>
public delegate Tensor VelocityField(Tensor noised, Tensor t);

/// <summary>Integrates a velocity field from noise (t = 1) to data (t = 0) over a grid of noise levels.</summary>
public interface IFlowSampler
{
    /// <summary>
    /// The sample reached from <paramref name="noise"/> by stepping through <paramref name="times"/> (decreasing,
    /// from 1 to 0; see <see cref="FlowTimeGrid"/>): one step per consecutive pair.
    /// </summary>
    Tensor Sample(VelocityField velocity, Tensor noise, IReadOnlyList<double> times);
}
