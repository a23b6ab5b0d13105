using static TorchSharp.torch;

namespace Luma.Unified.Model.Generation;

/// <summary>Draws one token id from logits with temperature, top-k and top-p (nucleus) filtering.</summary>
public static class TokenSampler
{
    /// <summary>A token id from <paramref name="logits"/> <c>[vocab]</c> (fp32).</summary>
    public static int Sample(Tensor logits, SamplingOptions options, Generator generator)
    {
        using var scope = NewDisposeScope();
        if (options.Temperature == 0)
        {
            return (int)logits.argmax().item<long>();
        }
        var scaled = logits / options.Temperature;
        if (options.TopK > 0 && options.TopK < scaled.shape[0])
        {
            var kth = scaled.topk(options.TopK).values[^1];
            scaled = scaled.masked_fill(scaled < kth, double.NegativeInfinity);
        }
        if (options.TopP < 1)
        {
            var (sorted, order) = scaled.sort(descending: true);
            var cumulative = sorted.softmax(-1).cumsum(-1);
            // Drop a token when the tokens before it already reach p; the most likely token always stays.
            var drop = (cumulative - sorted.softmax(-1)) >= options.TopP;
            var dropInVocabOrder = zeros_like(drop).scatter(0, order, drop);
            scaled = scaled.masked_fill(dropInVocabOrder, double.NegativeInfinity);
        }
        // The generator is a CPU one (SeededDraw), so the probabilities are drawn from there.
        return (int)multinomial(scaled.softmax(-1).cpu(), 1, generator: generator).item<long>();
    }
}
