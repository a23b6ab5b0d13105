using System.ComponentModel.DataAnnotations;

namespace Luma.Unified.Config.Options;

/// <summary>[data]: where documents come from and how they become token sequences.</summary>
public sealed record DataOptions
{
    /// <summary>Registered document source; <c>shapes-captions</c> is the built-in generated corpus.</summary>
    [Required]
    public string Source { get; init; } = "shapes-captions";

    /// <summary>Documents the built-in generated corpus produces.</summary>
    [Range(1, 10_000_000)]
    public int Documents { get; init; } = 20_000;

    /// <summary>Registered tokenizer; <c>byte</c> is the byte-level tokenizer.</summary>
    [Required]
    public string Tokenizer { get; init; } = "byte";

    /// <summary>Tokens per packed training row.</summary>
    [Range(8, 1_048_576)]
    public int SeqLen { get; init; } = 128;

    /// <summary>Fraction of documents held out for validation loss.</summary>
    [Range(0.0, 0.5)]
    public double ValidationFraction { get; init; } = 0.02;
}
