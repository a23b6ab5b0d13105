using static TorchSharp.torch;

namespace Luma.Unified.Model.Inputs;

/// <summary>
/// Latent positions as the backbone reads them: x_t <c>[m, z]</c> at noise level t <c>[m]</c> (0 = clean), placed at
/// flat positions <c>row · seq + offset</c> <see cref="Index"/> <c>[m]</c> of the sequence.
/// </summary>
public sealed record NoisedLatents(string Modality, Tensor Noised, Tensor Timesteps, Tensor Index);
