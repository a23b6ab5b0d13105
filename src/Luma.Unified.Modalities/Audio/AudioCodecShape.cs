namespace Luma.Unified.Modalities.Audio;

/// <summary>
/// The dimensions of an <see cref="AudioCodec"/>: encoder strides (their product is the hop, samples per code
/// frame), channel width before the first stride (doubled at each), latent width, and the residual quantiser.
/// </summary>
public sealed record AudioCodecShape(IReadOnlyList<int> Strides, int BaseChannels, int LatentDim, int Codebooks, int CodebookSize)
{
    /// <summary>Samples per code frame.</summary>
    public int Hop => Strides.Aggregate(1, (a, b) => a * b);

    /// <summary>Channels after <paramref name="level"/> strides.</summary>
    public int Channels(int level) => BaseChannels << level;
}
