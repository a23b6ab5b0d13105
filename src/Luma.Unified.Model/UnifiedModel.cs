using Luma.Unified.Backbone;
using Luma.Unified.Backbone.Attention;
using Luma.Unified.Config.Options;
using Luma.Unified.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Model;

// Shapes: b = batch, n = sequence length, d = model width, v = text vocabulary.

/// <summary>
/// One transformer for every modality. Today's inputs are text tokens: embedded, run through the shared
/// <see cref="TransformerBackbone"/>, and read out by the autoregressive head. Other modalities enter the same
/// sequence through their own input projections and leave through their own heads.
/// </summary>
public sealed class UnifiedModel : nn.Module
{
    /// <summary>The name text's loss is reported under.</summary>
    public const string TextModality = "text";

    private readonly Embedding textEmbedding;
    private readonly TransformerBackbone backbone;
    private readonly AutoregressiveHead textHead;

    public UnifiedModel(ModelOptions options, int textVocabSize, ComputePrecision precision) : base(nameof(UnifiedModel))
    {
        var shape = new BackboneShape(
            options.Dim, options.Layers, options.Heads, options.KvHeads, options.ResolvedMlpHidden,
            options.RopeTheta, options.NormEps, options.Dropout, options.MaxSeqLen);
        textEmbedding = nn.Embedding(textVocabSize, options.Dim);
        nn.init.normal_(textEmbedding.weight!, 0, 0.02);
        backbone = new TransformerBackbone(shape, precision);
        textHead = new AutoregressiveHead(options.Dim, textVocabSize, precision);
        RegisterComponents();
    }

    /// <summary>The shared backbone (shape, precision, caches).</summary>
    public TransformerBackbone Backbone => backbone;

    /// <summary>Size of the text vocabulary.</summary>
    public int TextVocabSize => textHead.VocabSize;

    /// <summary>
    /// tokens <c>[b, n]</c> → next-token logits <c>[b, n, v]</c> fp32.
    /// </summary>
    /// <param name="tokens">Token ids.</param>
    /// <param name="positions">Rotary positions <c>[b, n]</c>.</param>
    /// <param name="mask">Bool attention mask <c>[b, 1, n, keys]</c>, or null for plain causal attention.</param>
    /// <param name="cache">KV cache during generation, or null.</param>
    public Tensor Logits(Tensor tokens, Tensor positions, Tensor? mask = null, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        var hidden = backbone.Forward(textEmbedding.forward(tokens), positions, mask, cache);
        return textHead.forward(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The training loss of a packed batch: attention is causal and stays inside each document.
    /// All tensors are <c>[b, n]</c>.
    /// </summary>
    public LossBreakdown Loss(Tensor inputs, Tensor targets, Tensor positions, Tensor documentIds)
    {
        using var scope = NewDisposeScope();
        var mask = AttentionMasks.CausalWithinDocuments(documentIds);
        var text = AutoregressiveHead.Loss(Logits(inputs, positions, mask), targets);
        var total = text.alias();
        return new LossBreakdown(
            total.MoveToOuterDisposeScope(),
            new Dictionary<string, Tensor> { [TextModality] = text.detach().MoveToOuterDisposeScope() });
    }

    /// <summary>Parameters that get weight decay (matrices of linear layers) and those that do not (norms, embeddings).</summary>
    public (IReadOnlyList<Parameter> Decay, IReadOnlyList<Parameter> NoDecay) ParameterGroups()
    {
        var decay = new List<Parameter>();
        var noDecay = new List<Parameter>();
        // TorchSharp hands out a fresh wrapper per call, so the embedding is recognised by its state-dict name.
        const string embeddingWeight = nameof(textEmbedding) + ".weight";
        foreach (var (name, parameter) in named_parameters())
        {
            var isMatrix = parameter.dim() >= 2 && name != embeddingWeight;
            (isMatrix ? decay : noDecay).Add(parameter);
        }
        return (decay, noDecay);
    }
}
