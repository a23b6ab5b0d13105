using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Heads.Diffusion;

/// <summary>
/// Predicts the flow-matching velocity of noised latent positions from the backbone's hidden states there.
/// Implementations: <see cref="LinearVelocityHead"/> (Transfusion) and <see cref="MlpVelocityHead"/> (MAR).
/// </summary>
public abstract class VelocityHead(string name) : nn.Module(name)
{
    /// <summary>
    /// hidden <c>[m, dim]</c>, noised latents <c>[m, z]</c>, timestep embedding <c>[m, dim]</c> → velocity <c>[m, z]</c> fp32.
    /// </summary>
    public abstract Tensor Predict(Tensor hidden, Tensor noised, Tensor timestep);
}
