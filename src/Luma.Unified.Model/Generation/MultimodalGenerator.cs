using Luma.Unified.Abstractions;
using Luma.Unified.Data.Loading;
using Luma.Unified.Heads.Diffusion;
using Luma.Unified.Model.Inputs;
using Luma.Unified.Runtime.Randomness;
using static TorchSharp.torch;

namespace Luma.Unified.Model.Generation;

// Shapes: g = generated latent positions, z = latent channels, v = shared vocabulary.

/// <summary>
/// Generation in every direction over one document held as packed pieces (the same form training reads):
/// tokens are sampled autoregressively with a KV cache over the prefix; latents (an image, a video frame) are
/// integrated from noise by an ODE solver over the rectified-flow velocity, the prefix clean and the span
/// bidirectional, with classifier-free guidance from the same model with the condition masked out (as the
/// training's condition dropout did).
/// </summary>
public sealed class MultimodalGenerator(UnifiedModel model)
{
    private Device Device => model.Backbone.parameters().First().device;

    /// <summary>
    /// Latents <c>[g, z]</c> for the last <paramref name="generated"/> positions of <paramref name="context"/>'s last
    /// piece (a media piece of <paramref name="modality"/> whose latents there are ignored); every other latent is
    /// a clean condition.
    /// </summary>
    public Tensor GenerateLatents(IReadOnlyList<PackedPiece> context, string modality, int generated, LatentSampling sampling)
    {
        var device = Device;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var row = Row(context);
            var conditional = SequenceBatchBuilder.Build([row], device);
            var unconditional = SequenceBatchBuilder.Build([row], device, new MediaPolicy(0, 1, new Random(0)));
            var channels = conditional.Media.Single(m => m.Modality == modality).Channels;
            using var generator = SeededDraw.Generator(sampling.Seed);
            var noise = SeededDraw.Normal([generated, channels], generator, device);
            // Each ODE step re-reads the same sequence: its mask is built once per batch.
            VelocityField Field(SequenceBatch batch)
            {
                var mask = UnifiedModel.AttentionMask(batch);
                return (x, t) => Velocity(batch, mask, modality, x, t);
            }
            var field = sampling.CfgScale == 1
                ? Field(conditional)
                : ClassifierFreeGuidance.Guided(Field(conditional), Field(unconditional), sampling.CfgScale);
            return sampling.Solver().Sample(field, noise, sampling.Times()).MoveToOuterDisposeScope();
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// Samples tokens after <paramref name="context"/> (which ends with tokens) until <paramref name="stop"/>
    /// or <see cref="SamplingOptions.MaxNewTokens"/>, each drawn from <paramref name="allowed"/>; the prefix is
    /// read once into a KV cache.
    /// </summary>
    public IReadOnlyList<int> GenerateTokens(IReadOnlyList<PackedPiece> context, TokenRange allowed, IReadOnlySet<int> stop, SamplingOptions options)
    {
        options.Validate();
        var device = Device;
        var wasTraining = model.training;
        model.eval();
        var output = new List<int>();
        try
        {
            using var noGrad = no_grad();
            using var cache = model.Backbone.NewCache();
            using var generator = SeededDraw.Generator(options.Seed);
            long nextPosition;
            Tensor logits;
            using (var prefill = NewDisposeScope())
            {
                using var batch = SequenceBatchBuilder.Build([Row(context)], device);
                var hidden = model.Hidden(model.Embed(batch.Inputs, Clean(batch)), batch.Positions, UnifiedModel.AttentionMask(batch), cache);
                logits = model.TokenLogits(hidden[0, -1]).MoveToOuterDisposeScope();
                nextPosition = batch.Positions[0, -1, 0].item<long>() + 1;
            }
            while (output.Count < options.MaxNewTokens && nextPosition < model.Backbone.Shape.MaxSeqLen)
            {
                using var step = NewDisposeScope();
                var next = Pick(logits, allowed(output.Count), options, generator);
                logits.Dispose();
                output.Add(next);
                if (stop.Contains(next))
                {
                    break;
                }
                var token = tensor(new long[] { next }, [1, 1], device: device);
                var position = full([1, 1, 3], nextPosition++, dtype: ScalarType.Int64, device: device);
                logits = model.TokenLogits(model.Hidden(model.Embed(token, []), position, cache: cache)[0, -1]).MoveToOuterDisposeScope();
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return output;
    }

    private static int Pick(Tensor logits, (int Offset, int Count, IReadOnlyList<int> Extra) allowed, SamplingOptions options, Generator generator)
    {
        using var scope = NewDisposeScope();
        var keep = zeros(logits.shape[0], dtype: ScalarType.Bool, device: logits.device);
        keep[TensorIndex.Slice(allowed.Offset, allowed.Offset + allowed.Count)] = tensor(true);
        foreach (var id in allowed.Extra)
        {
            keep[id] = tensor(true);
        }
        return TokenSampler.Sample(logits.masked_fill(keep.logical_not(), double.NegativeInfinity), options, generator);
    }

    private Tensor Velocity(SequenceBatch batch, Tensor mask, string modality, Tensor x, Tensor t)
    {
        using var scope = NewDisposeScope();
        var generated = x.shape[0];
        var media = new List<NoisedLatents>();
        Tensor? at = null;
        foreach (var latents in batch.Media)
        {
            if (latents.Modality != modality)
            {
                media.Add(new NoisedLatents(latents.Modality, latents.Latents, zeros(latents.Count, device: x.device), latents.Index));
                continue;
            }
            var known = latents.Count - generated;
            var values = cat([latents.Latents.narrow(0, 0, known), x], 0);
            var timesteps = cat([zeros(known, device: x.device), t], 0);
            media.Add(new NoisedLatents(modality, values, timesteps, latents.Index));
            at = latents.Index.narrow(0, known, generated);
        }
        var hidden = model.Hidden(model.Embed(batch.Inputs, media), batch.Positions, mask);
        var flat = hidden.reshape(-1, hidden.shape[^1]).index_select(0, at!);
        return model.Velocity(modality, flat, x, t).MoveToOuterDisposeScope();
    }

    private static IReadOnlyList<NoisedLatents> Clean(SequenceBatch batch) =>
        [.. batch.Media.Select(m => new NoisedLatents(m.Modality, m.Latents, zeros(m.Count, device: m.Latents.device), m.Index))];

    private static PackedRow Row(IReadOnlyList<PackedPiece> context)
    {
        var pieces = new List<PackedPiece>();
        var offset = 0;
        foreach (var piece in context)
        {
            pieces.Add(piece with { Offset = offset, Document = 0 });
            offset += piece.Length;
        }
        return new PackedRow(offset, pieces);
    }
}
