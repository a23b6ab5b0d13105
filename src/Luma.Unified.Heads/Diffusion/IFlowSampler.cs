using static TorchSharp.torch;

namespace Luma.Unified.Heads.Diffusion;

/// <summary>A velocity field: (x_t <c>[b, ...]</c>, t <c>[b]</c>) → predicted velocity, same shape as x_t.</summary>
public delegate Tensor VelocityField(Tensor noised, Tensor t);

/// <summary>Integrates a velocity field from noise (t = 1) to data (t = 0) in a fixed number of steps.</summary>
public interface IFlowSampler
{
    /// <summary>The sample reached from <paramref name="noise"/> after <paramref name="steps"/> steps of uniform size.</summary>
    Tensor Sample(VelocityField velocity, Tensor noise, int steps);
}
