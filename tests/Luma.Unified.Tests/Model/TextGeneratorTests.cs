using Luma.Unified.Backbone;
using Luma.Unified.Config.Options;
using Luma.Unified.Model;
using Luma.Unified.Model.Generation;
using Luma.Unified.Tests.Support;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Model;

public sealed class TextGeneratorTests : TorchTest
{
    private static readonly ModelOptions s_options = new() { Dim = 32, Layers = 2, Heads = 4, KvHeads = 2, MaxSeqLen = 128 };

    private static UnifiedModel NewModel(long seed = 4)
    {
        manual_seed(seed);
        return new UnifiedModel(s_options, TestVocabulary.Of(("text", 50)), new ComputePrecision());
    }

    [Fact]
    public void KvCacheLogitsEqualFullRecomputation()
    {
        using var model = NewModel();
        var generator = new TextGenerator(model);
        var options = new SamplingOptions(MaxNewTokens: 24, Temperature: 1.0, Seed: 9);

        var cached = generator.Generate([1, 2, 3, 4, 5], options, stopToken: null, useKvCache: true, recordLogits: true);
        var uncached = generator.Generate([1, 2, 3, 4, 5], options, stopToken: null, useKvCache: false, recordLogits: true);

        Assert.Equal(24, cached.Tokens.Count);
        Assert.Equal(cached.Tokens, uncached.Tokens);
        for (var step = 0; step < cached.StepLogits.Count; step++)
        {
            var maxDifference = cached.StepLogits[step].Zip(uncached.StepLogits[step], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(maxDifference <= 1e-5, $"step {step}: logits differ by {maxDifference}");
        }
    }

    [Fact]
    public void TheSameSeedSamplesTheSameTokensAndAnotherSeedOthers()
    {
        using var model = NewModel();
        var generator = new TextGenerator(model);
        IReadOnlyList<int> Sample(long seed) => generator.Generate([7], new SamplingOptions(MaxNewTokens: 40, Temperature: 1.5, Seed: seed), null).Tokens;

        Assert.Equal(Sample(1), Sample(1));
        Assert.NotEqual(Sample(1), Sample(2));
    }

    [Fact]
    public void TopKOfOneAndTinyTopPAreGreedy()
    {
        using var model = NewModel();
        var generator = new TextGenerator(model);
        var greedy = generator.Generate([3], new SamplingOptions(MaxNewTokens: 20, Temperature: 0), null).Tokens;

        Assert.Equal(greedy, generator.Generate([3], new SamplingOptions(MaxNewTokens: 20, Temperature: 2, TopK: 1, Seed: 5), null).Tokens);
        Assert.Equal(greedy, generator.Generate([3], new SamplingOptions(MaxNewTokens: 20, Temperature: 2, TopP: 1e-6, Seed: 5), null).Tokens);
    }

    [Fact]
    public void GenerationStopsAtTheStopTokenAndAtTheRotaryLimit()
    {
        using var model = NewModel();
        var generator = new TextGenerator(model);
        var free = generator.Generate([3], new SamplingOptions(MaxNewTokens: 30, Temperature: 0), null).Tokens;
        var stop = free[4];

        var stopped = generator.Generate([3], new SamplingOptions(MaxNewTokens: 30, Temperature: 0), stop).Tokens;
        var limited = generator.Generate([.. Enumerable.Repeat(1, 120)], new SamplingOptions(MaxNewTokens: 30, Temperature: 0), null).Tokens;

        Assert.Equal(free.Take(free.ToList().IndexOf(stop) + 1), stopped);
        Assert.Equal(8, limited.Count); // max_seq_len 128 − 120 prompt tokens
    }

    [Fact]
    public void MeaninglessSamplingOptionsAreRejectedByName()
    {
        Assert.Contains("--temperature", Assert.Throws<ArgumentException>(() => new SamplingOptions(Temperature: -1).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("--top-p", Assert.Throws<ArgumentException>(() => new SamplingOptions(TopP: 0).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("--top-k", Assert.Throws<ArgumentException>(() => new SamplingOptions(TopK: -2).Validate()).Message, StringComparison.Ordinal);
    }
}
