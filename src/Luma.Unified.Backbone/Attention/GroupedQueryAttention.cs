using Luma.Unified.Backbone.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Backbone.Attention;

/// <summary>
/// Multi-head attention with fewer key/value heads than query heads (GQA) and rotary positions. Attention under a
/// mask runs as <see cref="ScoreMatrixAttention"/> on CPU while its scores are small; larger score matrices, other
/// devices and unmasked (plain causal or cached) attention go through TorchSharp's fused scaled-dot-product attention.
/// </summary>
public sealed class GroupedQueryAttention : nn.Module
{
    private readonly CastingLinear query;
    private readonly CastingLinear key;
    private readonly CastingLinear value;
    private readonly CastingLinear output;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly ComputePrecision _precision;

    public GroupedQueryAttention(int dim, int heads, int kvHeads, ComputePrecision precision, double outputStd)
        : base(nameof(GroupedQueryAttention))
    {
        (_heads, _kvHeads, _headDim, _precision) = (heads, kvHeads, dim / heads, precision);
        query = new CastingLinear(dim, heads * _headDim, precision);
        key = new CastingLinear(dim, kvHeads * _headDim, precision);
        value = new CastingLinear(dim, kvHeads * _headDim, precision);
        output = new CastingLinear(heads * _headDim, dim, precision, outputStd);
        RegisterComponents();
    }

    /// <summary>
    /// x <c>[batch, seq, dim]</c> → <c>[batch, seq, dim]</c> (compute dtype).
    /// </summary>
    /// <param name="x">Normalised hidden states.</param>
    /// <param name="cos">Rotary cos table <c>[batch, 1, seq, headDim]</c>.</param>
    /// <param name="sin">Rotary sin table <c>[batch, 1, seq, headDim]</c>.</param>
    /// <param name="mask">Bool mask <c>[batch, 1, seq, keys]</c>; null means plain causal attention.</param>
    /// <param name="cache">Keys/values of earlier tokens, extended by this call; null when training.</param>
    /// <param name="layer">This layer's index in <paramref name="cache"/>.</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        var (batch, length) = (x.shape[0], x.shape[1]);
        var q = query.forward(x).view(batch, length, _heads, _headDim).transpose(1, 2);
        var k = key.forward(x).view(batch, length, _kvHeads, _headDim).transpose(1, 2);
        var v = value.forward(x).view(batch, length, _kvHeads, _headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);

        var past = cache?.LengthOf(layer) ?? 0;
        if (cache is not null)
        {
            (k, v) = cache.Append(layer, k, v);
        }
        if (_kvHeads != _heads)
        {
            k = k.repeat_interleave(_heads / _kvHeads, dim: 1);
            v = v.repeat_interleave(_heads / _kvHeads, dim: 1);
        }

        Tensor attended;
        if (mask is not null)
        {
            attended = ScoreMatrixAttention.Suits(q, k)
                ? ScoreMatrixAttention.Forward(q, k, v, mask)
                : nn.functional.scaled_dot_product_attention(q, k, v, mask);
        }
        else if (past == 0)
        {
            attended = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: length > 1);
        }
        else
        {
            // New tokens after cached ones: a single token sees everything; several need an offset causal mask.
            var offsetMask = length == 1 ? null : AttentionMasks.CausalAfterCache(length, past, x.device);
            attended = nn.functional.scaled_dot_product_attention(q, k, v, offsetMask);
        }
        var merged = attended.transpose(1, 2).reshape(batch, length, _heads * _headDim);
        return output.forward(_precision.Cast(merged)).MoveToOuterDisposeScope();
    }
}
