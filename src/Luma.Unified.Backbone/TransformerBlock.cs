using Luma.Unified.Backbone.Attention;
using Luma.Unified.Backbone.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Backbone;

/// <summary>Pre-norm block: h += attn(norm(h)); h += mlp(norm(h)). The residual stream stays fp32.</summary>
public sealed class TransformerBlock : nn.Module
{
    private readonly RmsNorm attentionNorm;
    private readonly GroupedQueryAttention attention;
    private readonly RmsNorm mlpNorm;
    private readonly SwiGluMlp mlp;
    private readonly double _dropout;

    public TransformerBlock(BackboneShape shape, ComputePrecision precision) : base(nameof(TransformerBlock))
    {
        // GPT-2 style: residual-writing projections start smaller so the stream's variance does not grow with depth.
        var outputStd = 0.02 / Math.Sqrt(2.0 * shape.Layers);
        attentionNorm = new RmsNorm(shape.Dim, shape.NormEps);
        attention = new GroupedQueryAttention(shape.Dim, shape.Heads, shape.KvHeads, precision, outputStd);
        mlpNorm = new RmsNorm(shape.Dim, shape.NormEps);
        mlp = new SwiGluMlp(shape.Dim, shape.MlpHidden, precision, outputStd);
        _dropout = shape.Dropout;
        RegisterComponents();
    }

    /// <summary>Whether a training forward pass draws random numbers (dropout).</summary>
    public bool UsesRandomness => training && _dropout > 0;

    /// <summary>h <c>[batch, seq, dim]</c> fp32 → same; see <see cref="GroupedQueryAttention.Forward"/> for the rest.</summary>
    public Tensor Forward(Tensor h, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        var attended = attention.Forward(attentionNorm.forward(h), cos, sin, mask, cache, layer);
        h = h + nn.functional.dropout(attended, _dropout, training);
        var transformed = mlp.forward(mlpNorm.forward(h));
        h = h + nn.functional.dropout(transformed, _dropout, training);
        return h.MoveToOuterDisposeScope();
    }
}
