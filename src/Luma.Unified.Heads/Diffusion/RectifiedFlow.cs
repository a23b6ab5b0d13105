using static TorchSharp.torch;

namespace Luma.Unified.Heads.Diffusion;

// Shapes: b = batch, ... = any latent shape; t is [b].

/// <summary>
/// Rectified flow (flow matching with straight paths): x_t = (1 − t)·x₀ + t·ε, and the model predicts the
/// velocity v = ε − x₀, which is constant along each path. Sampling integrates dx/dt = v from t = 1 (noise) to 0.
/// </summary>
public static class RectifiedFlow
{
    /// <summary>The noised latents x_t and the velocity target for clean <paramref name="clean"/> <c>[b, ...]</c>.</summary>
    public static (Tensor Noised, Tensor Velocity) Noise(Tensor clean, Tensor noise, Tensor t)
    {
        using var scope = NewDisposeScope();
        var tb = t.reshape([t.shape[0], .. Enumerable.Repeat(1L, (int)clean.dim() - 1)]);
        var noised = (1 - tb) * clean + tb * noise;
        return (noised.MoveToOuterDisposeScope(), (noise - clean).MoveToOuterDisposeScope());
    }

    /// <summary>Mean squared error between predicted and target velocity, in fp32.</summary>
    public static Tensor Loss(Tensor predicted, Tensor target)
    {
        using var scope = NewDisposeScope();
        return nn.functional.mse_loss(predicted.to(ScalarType.Float32), target.to(ScalarType.Float32)).MoveToOuterDisposeScope();
    }
}
