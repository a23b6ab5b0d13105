using Luma.Unified.Abstractions;
using Luma.Unified.Backbone;
using Luma.Unified.Backbone.Attention;
using Luma.Unified.Config.Options;
using Luma.Unified.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Model;

// Shapes: b = batch, n = sequence length, d = model width, v = shared token vocabulary (all autoregressive modalities).

/// <summary>
/// One transformer for every modality. Tokens of every autoregressive modality (text, plugin modalities) share
/// one embedding table and one autoregressive head over the shared vocabulary (<see cref="VocabularyLayout"/>),
/// and run through the shared <see cref="TransformerBackbone"/>; each modality's loss is reported on its own.
/// Continuous modalities enter the same sequence through their own input projections and leave through their own heads.
/// </summary>
public sealed class UnifiedModel : nn.Module
{
    private readonly Embedding tokenEmbedding;
    private readonly TransformerBackbone backbone;
    private readonly AutoregressiveHead tokenHead;

    public UnifiedModel(ModelOptions options, VocabularyLayout vocabulary, ComputePrecision precision) : base(nameof(UnifiedModel))
    {
        Vocabulary = vocabulary;
        var shape = new BackboneShape(
            options.Dim, options.Layers, options.Heads, options.KvHeads, options.ResolvedMlpHidden,
            options.RopeTheta, options.NormEps, options.Dropout, options.MaxSeqLen);
        tokenEmbedding = nn.Embedding(vocabulary.Size, options.Dim);
        nn.init.normal_(tokenEmbedding.weight!, 0, 0.02);
        backbone = new TransformerBackbone(shape, precision);
        tokenHead = new AutoregressiveHead(options.Dim, vocabulary.Size, precision);
        RegisterComponents();
    }

    /// <summary>The shared backbone (shape, precision, caches).</summary>
    public TransformerBackbone Backbone => backbone;

    /// <summary>The shared token vocabulary: which ids belong to which modality.</summary>
    public VocabularyLayout Vocabulary { get; }

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
        var hidden = backbone.Forward(tokenEmbedding.forward(tokens), positions, mask, cache);
        return tokenHead.forward(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The training loss of a packed batch: attention is causal and stays inside each document. All tensors are
    /// <c>[b, n]</c>; targets of -100 do not count. The total is the mean over every predicted token; each part is
    /// the mean over the tokens of one modality (by the block its target id falls in), for modalities present.
    /// </summary>
    public LossBreakdown Loss(Tensor inputs, Tensor targets, Tensor positions, Tensor documentIds)
    {
        using var scope = NewDisposeScope();
        var mask = AttentionMasks.CausalWithinDocuments(documentIds);
        var logits = Logits(inputs, positions, mask);
        var flatTargets = targets.reshape(-1);
        var perToken = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), flatTargets, ignore_index: -100, reduction: nn.Reduction.None);
        var counted = flatTargets.ne(-100);
        var total = perToken.sum() / counted.sum().clamp_min(1);
        var parts = new Dictionary<string, Tensor>();
        foreach (var block in Vocabulary.Blocks)
        {
            var inBlock = counted & flatTargets.ge(block.Offset) & flatTargets.lt(block.Offset + block.Size);
            var count = inBlock.sum().item<long>();
            if (count > 0)
            {
                parts[block.Modality] = (perToken.masked_select(inBlock).sum() / count).detach().MoveToOuterDisposeScope();
            }
        }
        return new LossBreakdown(total.MoveToOuterDisposeScope(), parts);
    }

    /// <summary>Parameters that get weight decay (matrices of linear layers) and those that do not (norms, embeddings).</summary>
    public (IReadOnlyList<Parameter> Decay, IReadOnlyList<Parameter> NoDecay) ParameterGroups()
    {
        var decay = new List<Parameter>();
        var noDecay = new List<Parameter>();
        // TorchSharp hands out a fresh wrapper per call, so the embedding is recognised by its state-dict name.
        const string embeddingWeight = nameof(tokenEmbedding) + ".weight";
        foreach (var (name, parameter) in named_parameters())
        {
            var isMatrix = parameter.dim() >= 2 && name != embeddingWeight;
            (isMatrix ? decay : noDecay).Add(parameter);
        }
        return (decay, noDecay);
    }
}
