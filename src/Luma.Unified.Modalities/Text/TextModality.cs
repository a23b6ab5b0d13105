using Luma.Unified.Abstractions;

namespace Luma.Unified.Modalities.Text;

/// <summary>Text through the run's tokenizer: the built-in autoregressive modality, on the same seam plugins use.</summary>
public sealed class TextModality(ITokenizer tokenizer) : IModality
{
    /// <summary>The segment kind.</summary>
    public const string Kind = "text";

    /// <inheritdoc/>
    public string Name => Kind;

    /// <inheritdoc/>
    public ModalityHead Head => ModalityHead.Autoregressive;

    /// <inheritdoc/>
    public int VocabSize => tokenizer.VocabSize;

    /// <inheritdoc/>
    public ModalityInput Encode(SegmentRecord segment) =>
        ModalityInput.FromTokens(tokenizer.Encode(segment.Text ?? throw new InvalidDataException("text segment without text")));

    /// <inheritdoc/>
    public SegmentRecord Decode(ModalityInput output) =>
        new() { Modality = Kind, Text = tokenizer.Decode(output.Tokens ?? throw new ArgumentException("text output needs tokens", nameof(output))) };
}
