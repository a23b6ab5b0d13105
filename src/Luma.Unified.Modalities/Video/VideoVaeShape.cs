using Luma.Unified.Modalities.Image;

namespace Luma.Unified.Modalities.Video;

/// <summary>
/// The dimensions of a <see cref="VideoVae"/>: the per-frame spatial VAE (whose latent width is the frame
/// feature width here), the temporal downsampling factor, and the latent channels after temporal compression.
/// Clips have <c>1 + k · temporal</c> frames and become <c>1 + k</c> latent frames.
/// </summary>
public sealed record VideoVaeShape(ImageVaeShape Spatial, int TemporalDownsample, int LatentChannels)
{
    /// <summary>Latent frames of a clip of <paramref name="frames"/> frames; throws when it is not 1 + k · temporal.</summary>
    public int LatentFrames(int frames) => frames >= 1 && (frames - 1) % TemporalDownsample == 0
        ? 1 + (frames - 1) / TemporalDownsample
        : throw new ArgumentException($"a clip needs 1 + k·{TemporalDownsample} frames (the first frame is encoded on its own), got {frames}.");
}
