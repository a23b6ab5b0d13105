namespace Luma.Unified.Modalities.Media;

/// <summary>modalities.options.image | video | audio: the saved codec (from <c>luma codec train</c>) the modality reads through.</summary>
public sealed record CodecModalityOptions
{
    /// <summary>Directory of a saved codec of the modality's kind; required.</summary>
    public string Codec { get; init; } = "";
}
