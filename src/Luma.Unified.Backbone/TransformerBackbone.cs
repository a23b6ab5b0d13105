using Luma.Unified.Backbone.Attention;
using Luma.Unified.Backbone.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Backbone;

// Shapes: b = batch, n = sequence length, d = model width, h = heads, k = key/value heads, e = head width.

/// <summary>
/// The shared decoder-only backbone. It reads embedded inputs — whatever modality projected them — and
/// returns normalised hidden states for the heads; it knows nothing of vocabularies or pixels.
/// </summary>
public sealed class TransformerBackbone : nn.Module
{
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly RmsNorm finalNorm;
    private readonly RotaryEmbedding _rotary;

    public TransformerBackbone(BackboneShape shape, ComputePrecision precision) : base(nameof(TransformerBackbone))
    {
        Shape = shape;
        Precision = precision;
        blocks = new ModuleList<TransformerBlock>([.. Enumerable.Range(0, shape.Layers).Select(_ => new TransformerBlock(shape, precision))]);
        finalNorm = new RmsNorm(shape.Dim, shape.NormEps);
        _rotary = new RotaryEmbedding(shape.HeadDim, shape.MaxSeqLen, shape.RopeTheta);
        RegisterComponents();
    }

    /// <summary>The dimensions this backbone was built with.</summary>
    public BackboneShape Shape { get; }

    /// <summary>The compute dtype shared by all of its layers.</summary>
    public ComputePrecision Precision { get; }

    /// <summary>
    /// Recompute each block's activations in backward instead of keeping them (training with gradients only; see
    /// <see cref="BlockCheckpoint"/>).
    /// </summary>
    public bool ActivationCheckpointing { get; set; }

    /// <summary>A cache sized for this backbone, for incremental decoding.</summary>
    public KvCache NewCache() => new(Shape.Layers);

    /// <summary>
    /// embedded <c>[b, n, d]</c> → hidden <c>[b, n, d]</c> fp32, final norm applied.
    /// </summary>
    /// <param name="embedded">Input embeddings (any float dtype).</param>
    /// <param name="positions">Rotary positions <c>[b, n]</c>.</param>
    /// <param name="mask">Bool attention mask <c>[b, 1, n, keys]</c>, or null for plain causal attention.</param>
    /// <param name="cache">Cache to read and extend during generation, or null.</param>
    public Tensor Forward(Tensor embedded, Tensor positions, Tensor? mask = null, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        var (cos, sin) = _rotary.Tables(positions);
        var h = embedded.to(ScalarType.Float32);
        for (var layer = 0; layer < blocks.Count; layer++)
        {
            h = ActivationCheckpointing && training && cache is null && is_grad_enabled()
                ? BlockCheckpoint.Run(blocks[layer], h, cos, sin, mask, layer)
                : blocks[layer].Forward(h, cos, sin, mask, cache, layer);
        }
        return finalNorm.forward(h).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rotary.Dispose();
        }
        base.Dispose(disposing);
    }
}
