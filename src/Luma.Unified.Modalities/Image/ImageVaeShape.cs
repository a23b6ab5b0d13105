namespace Luma.Unified.Modalities.Image;

/// <summary>
/// The dimensions of an <see cref="ImageVae"/>: spatial <see cref="Downsample"/> factor (4, 8 or 16), latent
/// channels, and the channel width of the first level (doubled at the second level, then kept).
/// </summary>
public sealed record ImageVaeShape(int Downsample, int LatentChannels, int BaseChannels)
{
    /// <summary>Number of stride-2 levels: log2(downsample).</summary>
    public int Levels => Downsample switch
    {
        4 => 2,
        8 => 3,
        16 => 4,
        _ => throw new ArgumentException($"downsample must be 4, 8 or 16, got {Downsample}"),
    };

    /// <summary>Channels at level i (0 = full resolution).</summary>
    public int Channels(int level) => BaseChannels * (level == 0 ? 1 : 2);
}
