using System.ComponentModel.DataAnnotations;

namespace Luma.Unified.Config.Options;

/// <summary>[data]: where documents come from and how they become token sequences.</summary>
public sealed record DataOptions : IValidatableOptions
{
    /// <summary>Registered document source: <c>shapes-captions</c> (generated text corpus) or <c>shards</c> (datasets in <see cref="Paths"/>).</summary>
    [Required]
    public string Source { get; init; } = "shapes-captions";

    /// <summary>Dataset directories for the <c>shards</c> source.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Mixing weights, one per path; empty = equal weights.</summary>
    public IReadOnlyList<double> Weights { get; init; } = [];

    /// <summary>Row groups whose rows are shuffled together (the shuffle buffer).</summary>
    [Range(1, 1_000_000)]
    public int ShuffleRowGroups { get; init; } = 4;

    /// <summary>Threads that decode and tokenize documents ahead of training.</summary>
    [Range(1, 256)]
    public int DecodeWorkers { get; init; } = 2;

    /// <summary>Batches prepared ahead of the training step.</summary>
    [Range(1, 1024)]
    public int Prefetch { get; init; } = 4;

    /// <summary>fail: stop at an undecodable document, naming shard and row; skip: drop it and count it.</summary>
    public BadDataPolicy OnError { get; init; } = BadDataPolicy.Fail;

    /// <summary>Documents the built-in generated corpus produces.</summary>
    [Range(1, 10_000_000)]
    public int Documents { get; init; } = 20_000;

    /// <summary>Registered tokenizer: <c>byte</c>, <c>o200k_base</c>, <c>cl100k_base</c>, or <c>hf-json</c> (with <see cref="TokenizerFile"/>).</summary>
    [Required]
    public string Tokenizer { get; init; } = "byte";

    /// <summary>A Hugging Face tokenizer.json (BPE) for <c>tokenizer: hf-json</c>.</summary>
    public string TokenizerFile { get; init; } = "";

    /// <summary>Tokens per packed training row.</summary>
    [Range(8, 1_048_576)]
    public int SeqLen { get; init; } = 128;

    /// <summary>Fraction of documents (chosen by a stable hash of their id) held out for validation loss.</summary>
    [Range(0.0, 0.5)]
    public double ValidationFraction { get; init; } = 0.02;

    /// <inheritdoc/>
    public IEnumerable<OptionProblem> Validate()
    {
        if (Weights.Count > 0 && Weights.Count != Paths.Count)
        {
            yield return new(nameof(Weights), $"weights has {Weights.Count} entries but paths has {Paths.Count}; give one weight per path or none");
        }
        if (Weights.Any(w => !(w > 0)))
        {
            yield return new(nameof(Weights), "every weight must be positive");
        }
    }
}
