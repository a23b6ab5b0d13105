using Luma.Unified.Backbone;
using Luma.Unified.Backbone.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Heads.Diffusion;

/// <summary>
/// Noise level t ∈ [0, 1] → a <c>dim</c>-wide vector: sinusoidal features of 1000·t (DDPM/DiT) through a two-layer
/// SiLU MLP. Added to a noised latent's input embedding, it tells the backbone how much of the input is noise.
/// </summary>
public sealed class TimestepEmbedding : nn.Module<Tensor, Tensor>
{
    private const int Frequencies = 128;
    private readonly CastingLinear input;
    private readonly CastingLinear output;
    private readonly Tensor _frequencies;

    public TimestepEmbedding(int dim, ComputePrecision precision) : base(nameof(TimestepEmbedding))
    {
        input = new CastingLinear(2 * Frequencies, dim, precision, withBias: true);
        output = new CastingLinear(dim, dim, precision, withBias: true);
        using var scope = NewDisposeScope();
        _frequencies = exp(-Math.Log(10_000) * arange(Frequencies, dtype: ScalarType.Float32) / Frequencies).DetachFromDisposeScope();
        RegisterComponents();
    }

    /// <summary>t <c>[m]</c> → <c>[m, dim]</c> fp32.</summary>
    public override Tensor forward(Tensor t)
    {
        using var scope = NewDisposeScope();
        var angles = (t.to(ScalarType.Float32) * 1000).unsqueeze(1) * _frequencies.to(t.device).unsqueeze(0);
        var features = cat([angles.cos(), angles.sin()], dim: 1);
        return output.forward(nn.functional.silu(input.forward(features))).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _frequencies.Dispose();
        }
        base.Dispose(disposing);
    }
}
