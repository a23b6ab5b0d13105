using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Backbone.Layers;

/// <summary>
/// RMSNorm (TorchSharp 0.107 has none): x / sqrt(mean(x²) + eps) · g, always in fp32 because the mean of
/// squares loses most of its bits in bf16. <c>[..., dim]</c> → <c>[..., dim]</c> fp32.
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double _eps;

    public RmsNorm(long dim, double eps) : base(nameof(RmsNorm))
    {
        _eps = eps;
        weight = new Parameter(ones(dim));
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.to(ScalarType.Float32);
        var meanSquare = x.pow(2).mean([-1], keepdim: true);
        return (x * (meanSquare + _eps).rsqrt() * weight).MoveToOuterDisposeScope();
    }
}
