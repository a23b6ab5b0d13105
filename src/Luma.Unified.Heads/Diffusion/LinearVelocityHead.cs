using Luma.Unified.Backbone;
using Luma.Unified.Backbone.Layers;
using static TorchSharp.torch;

namespace Luma.Unified.Heads.Diffusion;

/// <summary>
/// Transfusion's head: the backbone already read the noised latent and its timestep, so one linear layer maps
/// its hidden state to the velocity. Starts at zero (DiT), so early training does not fight random outputs.
/// </summary>
public sealed class LinearVelocityHead : VelocityHead
{
    private readonly CastingLinear projection;

    public LinearVelocityHead(int dim, int channels, ComputePrecision precision) : base(nameof(LinearVelocityHead))
    {
        projection = new CastingLinear(dim, channels, precision, std: 0, withBias: true);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor Predict(Tensor hidden, Tensor noised, Tensor timestep)
    {
        using var scope = NewDisposeScope();
        return projection.forward(hidden).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
