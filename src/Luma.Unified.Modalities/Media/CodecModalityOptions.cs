namespace Luma.Unified.Modalities.Media;

/// <summary>modalities.options.image | video | audio: the saved codec (from <c>luma codec train</c>) the modality reads through.</summary>
public sealed record CodecModalityOptions
{
    /// <summary>Directory of a saved codec of the modality's kind; required.</summary>
    public string Codec { get; init; } = "";

    /// <summary>
    /// Image and video: side of the square of latent cells that becomes one sequence position (1 = one position
    /// per cell). 2 makes an image 4× fewer positions, each seeing a 2 × 2 neighbourhood; it must divide the
    /// codec's latent grid. Audio codes have no grid and take only 1.
    /// </summary>
    public int Patch { get; init; } = 1;
}
