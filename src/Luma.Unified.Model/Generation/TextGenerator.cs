using Luma.Unified.Runtime.Randomness;
using static TorchSharp.torch;

namespace Luma.Unified.Model.Generation;

/// <summary>Tokens generated after a prompt, and optionally the logits each step sampled from.</summary>
public sealed record GenerationResult(IReadOnlyList<int> Tokens, IReadOnlyList<float[]> StepLogits);

/// <summary>
/// Autoregressive text generation. With the KV cache each step feeds one token (O(n) per step); without it
/// each step re-runs the whole sequence (O(n²)) — kept because it is the reference the cache is tested against.
/// </summary>
public sealed class TextGenerator(UnifiedModel model)
{
    /// <summary>Continues <paramref name="prompt"/>; stops after <paramref name="stopToken"/> or the length limit.</summary>
    public GenerationResult Generate(
        IReadOnlyList<int> prompt, SamplingOptions options, int? stopToken, bool useKvCache = true, bool recordLogits = false)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        options.Validate();
        if (prompt.Count == 0)
        {
            throw new ArgumentException("The prompt needs at least one token (e.g. the begin-of-document token).", nameof(prompt));
        }
        var device = model.Backbone.parameters().First().device;
        var maxLength = model.Backbone.Shape.MaxSeqLen;
        var generator = SeededDraw.Generator(options.Seed);
        var sequence = prompt.ToList();
        var generated = new List<int>();
        var stepLogits = new List<float[]>();
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var cache = useKvCache ? model.Backbone.NewCache() : null;
            var fed = 0; // tokens of `sequence` already in the cache
            while (generated.Count < options.MaxNewTokens && sequence.Count < maxLength)
            {
                using var scope = NewDisposeScope();
                var start = useKvCache ? fed : 0;
                var window = sequence.Skip(start).Select(t => (long)t).ToArray();
                var tokens = tensor(window, [1, window.Length], device: device);
                var positions = arange(start, sequence.Count, dtype: ScalarType.Int64, device: device).unsqueeze(0);
                // Only text ids are sampled: the head also scores the other modalities' tokens.
                var textBlock = model.Vocabulary.Blocks[0];
                var logits = model.Logits(tokens, positions, cache: cache)[0, -1].narrow(0, textBlock.Offset, textBlock.Size);
                fed = sequence.Count;
                if (recordLogits)
                {
                    stepLogits.Add(logits.to(CPU).data<float>().ToArray());
                }
                var next = TokenSampler.Sample(logits, options, generator);
                sequence.Add(next);
                generated.Add(next);
                if (next == stopToken)
                {
                    break;
                }
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return new GenerationResult(generated, stepLogits);
    }
}
