using Luma.Unified.Abstractions;
using Luma.Unified.Backbone;
using Luma.Unified.Backbone.Attention;
using Luma.Unified.Backbone.Layers;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Loading;
using Luma.Unified.Heads;
using Luma.Unified.Heads.Diffusion;
using Luma.Unified.Model.Inputs;
using Luma.Unified.Model.Training;
using Luma.Unified.Runtime.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Model;

// Shapes: b = batch, n = sequence length, d = model width, v = shared token vocabulary (all autoregressive
// modalities), m = latent positions of one continuous modality, z = its latent channels.

/// <summary>
/// One transformer for every modality. Tokens of every autoregressive modality (text, audio codes, plugins) share
/// one embedding table and one autoregressive head over the shared vocabulary (<see cref="VocabularyLayout"/>).
/// Continuous latents (image, video) enter the same sequence through their own input projection plus a timestep
/// embedding of their noise level, and leave through their own velocity head (rectified flow, Transfusion). Each
/// modality's loss is reported on its own.
/// </summary>
public sealed class UnifiedModel : nn.Module
{
    private readonly Embedding tokenEmbedding;
    private readonly ModuleMap<nn.Module<Tensor, Tensor>> latentInputs;
    private readonly TimestepEmbedding? timestepEmbedding;
    private readonly TransformerBackbone backbone;
    private readonly AutoregressiveHead tokenHead;
    private readonly ModuleMap<VelocityHead> velocityHeads;
    private readonly ITimestepSampler _timesteps;

    public UnifiedModel(ModelOptions options, VocabularyLayout vocabulary, ComputePrecision precision, DiffusionOptions? diffusion = null, IReadOnlyList<LatentModality>? latents = null)
        : base(nameof(UnifiedModel))
    {
        Vocabulary = vocabulary;
        Diffusion = diffusion ?? new DiffusionOptions();
        Latents = latents ?? [];
        var shape = new BackboneShape(
            options.Dim, options.Layers, options.Heads, options.KvHeads, options.ResolvedMlpHidden,
            options.RopeTheta, options.NormEps, options.Dropout, options.MaxSeqLen);
        tokenEmbedding = nn.Embedding(vocabulary.Size, options.Dim);
        nn.init.normal_(tokenEmbedding.weight!, 0, 0.02);
        latentInputs = new ModuleMap<nn.Module<Tensor, Tensor>>();
        velocityHeads = new ModuleMap<VelocityHead>();
        foreach (var latent in Latents)
        {
            latentInputs.Add(latent.Name, LatentInput(latent, options.Dim, precision));
            velocityHeads.Add(latent.Name, Diffusion.Head == DiffusionHeadKind.Mlp
                ? new MlpVelocityHead(options.Dim, latent.Channels, Diffusion.MlpHeadBlocks, precision)
                : new LinearVelocityHead(options.Dim, latent.Channels, precision));
        }
        timestepEmbedding = Latents.Count > 0 ? new TimestepEmbedding(options.Dim, precision) : null;
        backbone = new TransformerBackbone(shape, precision) { ActivationCheckpointing = options.ActivationCheckpointing };
        tokenHead = new AutoregressiveHead(options.Dim, vocabulary.Size, precision);
        _timesteps = Diffusion.Timesteps == TimestepDistribution.Uniform
            ? new UniformTimesteps()
            : new LogitNormalTimesteps(Diffusion.LogitMean, Diffusion.LogitStd, Diffusion.TimestepShift);
        RegisterComponents();
    }

    private nn.Module<Tensor, Tensor> LatentInput(LatentModality latent, int dim, ComputePrecision precision) => Diffusion.InputLayers switch
    {
        LatentInputKind.Conv => new ConvLatentInput(latent.Channels, dim, latent.GridSide
            ?? throw new ArgumentException($"diffusion.input_layers: conv needs a latent grid, and the {latent.Name} modality lays out none; use linear."), precision),
        _ => new CastingLinear(latent.Channels, dim, precision),
    };

    /// <summary>The shared backbone (shape, precision, caches).</summary>
    public TransformerBackbone Backbone => backbone;

    /// <summary>The shared token vocabulary: which ids belong to which modality.</summary>
    public VocabularyLayout Vocabulary { get; }

    /// <summary>The continuous modalities, with their latent channels.</summary>
    public IReadOnlyList<LatentModality> Latents { get; }

    /// <summary>Flow-matching settings (timesteps in training; sampler, steps and guidance in generation).</summary>
    public DiffusionOptions Diffusion { get; }

    /// <summary>
    /// Input embeddings <c>[b, n, d]</c> fp32: token embeddings, with each latent position replaced by its modality's
    /// projection of x_t plus the embedding of its noise level.
    /// </summary>
    public Tensor Embed(Tensor tokens, IReadOnlyList<NoisedLatents> media)
    {
        using var scope = NewDisposeScope();
        var embedded = tokenEmbedding.forward(tokens);
        if (media.Count == 0)
        {
            return embedded.MoveToOuterDisposeScope();
        }
        var (b, n, d) = (embedded.shape[0], embedded.shape[1], embedded.shape[2]);
        var flat = embedded.reshape(b * n, d);
        foreach (var latent in media)
        {
            var projected = latentInputs[latent.Modality].forward(latent.Noised).to(ScalarType.Float32) + timestepEmbedding!.forward(latent.Timesteps);
            flat = flat.index_copy(0, latent.Index, projected);
        }
        return flat.reshape(b, n, d).MoveToOuterDisposeScope();
    }

    /// <summary>The attention mask <c>[b, 1, n, n]</c> of a batch's documents, spans and blind segments (<see cref="AttentionMasks.Multimodal"/>).</summary>
    public static Tensor AttentionMask(SequenceBatch batch) =>
        AttentionMasks.Multimodal(batch.DocumentIds, batch.SpanIds, batch.SegmentIds, batch.Blind, batch.DocumentStarts);

    /// <summary>Embedded inputs → final hidden states <c>[b, n, d]</c> fp32 (see <see cref="TransformerBackbone.Forward"/>).</summary>
    public Tensor Hidden(Tensor embedded, Tensor positions, Tensor? mask = null, KvCache? cache = null) =>
        backbone.Forward(embedded, positions, mask, cache);

    /// <summary>Next-token logits <c>[..., v]</c> fp32 of hidden states <c>[..., d]</c>.</summary>
    public Tensor TokenLogits(Tensor hidden) => tokenHead.forward(hidden);

    /// <summary>Velocity <c>[m, z]</c> fp32 of latent positions from their hidden states <c>[m, d]</c>, x_t <c>[m, z]</c> and t <c>[m]</c>.</summary>
    public Tensor Velocity(string modality, Tensor hidden, Tensor noised, Tensor timesteps)
    {
        using var scope = NewDisposeScope();
        return velocityHeads[modality].Predict(hidden, noised, timestepEmbedding!.forward(timesteps)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// tokens <c>[b, n]</c> → next-token logits <c>[b, n, v]</c> fp32 (text-only sequences, e.g. incremental decoding).
    /// </summary>
    /// <param name="tokens">Token ids.</param>
    /// <param name="positions">Rotary positions <c>[b, n]</c> or <c>[b, n, 3]</c>.</param>
    /// <param name="mask">Bool attention mask <c>[b, 1, n, keys]</c>, or null for plain causal attention.</param>
    /// <param name="cache">KV cache during generation, or null.</param>
    public Tensor Logits(Tensor tokens, Tensor positions, Tensor? mask = null, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        var hidden = backbone.Forward(tokenEmbedding.forward(tokens), positions, mask, cache);
        return tokenHead.forward(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// What each modality's loss is divided by, for <paramref name="batch"/>: predicted tokens per autoregressive
    /// modality (by the vocabulary block of the target), noised latent elements per continuous modality.
    /// </summary>
    public IReadOnlyDictionary<string, double> LossCounts(SequenceBatch batch)
    {
        using var scope = NewDisposeScope();
        var counts = new Dictionary<string, double>();
        var targets = batch.Targets.reshape(-1);
        foreach (var block in Vocabulary.Blocks)
        {
            var count = (targets.ge(block.Offset) & targets.lt(block.Offset + block.Size)).sum().item<long>();
            if (count > 0)
            {
                counts[block.Modality] = count;
            }
        }
        foreach (var media in batch.Media)
        {
            var noised = media.Noised.index_select(0, media.Group).sum().item<long>();
            if (noised > 0)
            {
                counts[media.Modality] = counts.GetValueOrDefault(media.Modality) + noised * media.Channels;
            }
        }
        return counts;
    }

    /// <summary>
    /// The training loss of a packed batch. Noise levels (one per noise group, 0 for clean groups) and noise are
    /// drawn from <paramref name="generator"/> (the default generator when null). Tokens: cross-entropy of the
    /// next token; latents: squared error of the rectified-flow velocity. <see cref="LossBreakdown.Total"/> is
    /// Σ weight · sum / count over modalities; each part is that modality's sum / count, unweighted.
    /// </summary>
    public LossBreakdown Loss(SequenceBatch batch, LossScale scale, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var noised = new List<NoisedLatents>();
        var velocityTargets = new List<(MediaLatents Media, Tensor Velocity, Tensor Trained)>();
        foreach (var media in batch.Media)
        {
            var device = media.Latents.device;
            var groupTimesteps = _timesteps.Sample(media.Groups, generator, device) * media.Noised.to(ScalarType.Float32);
            var t = groupTimesteps.index_select(0, media.Group);
            var noise = SeededDraw.Normal(media.Latents.shape, generator, device);
            var (xt, velocity) = RectifiedFlow.Noise(media.Latents, noise, t);
            noised.Add(new NoisedLatents(media.Modality, xt, t, media.Index));
            velocityTargets.Add((media, velocity, media.Noised.index_select(0, media.Group)));
        }
        var hidden = Hidden(Embed(batch.Inputs, noised), batch.Positions, AttentionMask(batch));
        var (b, n, d) = (hidden.shape[0], hidden.shape[1], hidden.shape[2]);

        var sums = new Dictionary<string, Tensor>();
        var logits = TokenLogits(hidden).reshape(b * n, -1);
        var targets = batch.Targets.reshape(-1);
        var perToken = nn.functional.cross_entropy(logits, targets, ignore_index: SequenceBatchBuilder.IgnoreIndex, reduction: nn.Reduction.None);
        foreach (var block in Vocabulary.Blocks)
        {
            var inBlock = targets.ge(block.Offset) & targets.lt(block.Offset + block.Size);
            if (inBlock.any().item<bool>())
            {
                sums[block.Modality] = perToken.masked_select(inBlock).sum();
            }
        }
        var flatHidden = hidden.reshape(b * n, d);
        for (var i = 0; i < noised.Count; i++)
        {
            var (media, velocity, trained) = velocityTargets[i];
            if (!trained.any().item<bool>())
            {
                continue;
            }
            var predicted = Velocity(media.Modality, flatHidden.index_select(0, media.Index), noised[i].Noised, noised[i].Timesteps);
            var squared = (predicted - velocity).square().sum(1) * trained.to(ScalarType.Float32);
            sums[media.Modality] = sums.TryGetValue(media.Modality, out var earlier) ? earlier + squared.sum() : squared.sum();
        }

        var total = zeros([], device: hidden.device);
        var parts = new Dictionary<string, Tensor>();
        foreach (var (modality, sum) in sums)
        {
            var mean = sum / scale.CountOf(modality);
            total = total + scale.WeightOf(modality) * mean;
            parts[modality] = mean.detach().MoveToOuterDisposeScope();
        }
        return new LossBreakdown(total.MoveToOuterDisposeScope(), parts);
    }

    /// <summary>The loss of <paramref name="batch"/> on its own (each modality divided by its own count in the batch).</summary>
    public LossBreakdown Loss(SequenceBatch batch, Generator? generator = null) =>
        Loss(batch, new LossScale(LossCounts(batch), new Dictionary<string, double>()), generator);

    /// <summary>
    /// The weights of the matrices one position of <paramref name="modality"/> is multiplied by in a training
    /// forward pass: every backbone matrix, plus the token head for token modalities, or the modality's input
    /// projection, the timestep embedding and its velocity head for latent modalities. The embedding lookup is no
    /// matmul and is not counted; neither are the token-head logits the model also computes at latent positions
    /// (they feed no loss).
    /// </summary>
    public long MatmulParameters(string modality)
    {
        var latent = Latents.Any(l => l.Name == modality);
        string[] prefixes = latent
            ? [nameof(backbone), $"{nameof(latentInputs)}.{modality}.", nameof(timestepEmbedding), $"{nameof(velocityHeads)}.{modality}."]
            : [nameof(backbone), nameof(tokenHead)];
        return named_parameters()
            .Where(p => p.parameter.dim() >= 2 && prefixes.Any(prefix => p.name.StartsWith(prefix, StringComparison.Ordinal)))
            .Sum(p => p.parameter.numel());
    }

    /// <summary>
    /// Parameters that get weight decay (matrices of linear layers) and those that do not (norms, biases,
    /// embeddings).
    /// </summary>
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
