using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Backbone.Layers;

/// <summary>
/// y = x·Wᵀ (+ b) with fp32 master weights computed in <see cref="ComputePrecision.Dtype"/>.
/// Input <c>[..., in]</c> of any float dtype → output <c>[..., out]</c> in the compute dtype.
/// </summary>
public sealed class CastingLinear : nn.Module<Tensor, Tensor>
{
    // TorchSharp registers parameters under their field names (and re-points fields by name when moving
    // devices), so fields are named exactly as the state-dict keys.
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly ComputePrecision _precision;

    /// <summary>A layer mapping <paramref name="inFeatures"/> to <paramref name="outFeatures"/>, weights ~ N(0, std²), or zero when std is 0.</summary>
    public CastingLinear(long inFeatures, long outFeatures, ComputePrecision precision, double std = 0.02, bool withBias = false)
        : base(nameof(CastingLinear))
    {
        _precision = precision;
        weight = new Parameter(empty(outFeatures, inFeatures));
        if (std > 0)
        {
            nn.init.normal_(weight, 0, std);
        }
        else
        {
            nn.init.zeros_(weight);
        }
        if (withBias)
        {
            bias = new Parameter(zeros(outFeatures));
        }
        RegisterComponents();
    }

    /// <summary>The fp32 master weight <c>[out, in]</c>.</summary>
    public Parameter Weight => weight;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        using var x = _precision.Cast(input);
        using var w = _precision.Cast(weight);
        using var b = bias is null ? null : _precision.Cast(bias);
        return nn.functional.linear(x, w, b).MoveToOuterDisposeScope();
    }
}
