using Luma.Unified.Abstractions;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;
using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Modalities.Image;
using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Media;

/// <summary>
/// Images through a frozen image VAE, for the diffusion head: each <paramref name="patch"/> × <paramref name="patch"/>
/// square of latent cells becomes one sequence position holding their z channels, scaled to unit variance by the
/// codec's scaling factor, with (row, column) coordinates of the patch. Pre-encoded segments (<c>latents-f32</c>)
/// are used as stored and grouped here, so one encoded dataset serves every patch size; decoding runs the VAE decoder.
/// </summary>
public sealed class ImageModality(ImageVae vae, CodecInfo info, int patch = 1) : IModality
{
    /// <inheritdoc/>
    public string Name => Segments.Image;

    /// <inheritdoc/>
    public ModalityHead Head => ModalityHead.Diffusion;

    /// <inheritdoc/>
    public int VocabSize => 0;

    /// <inheritdoc/>
    public int LatentChannels => vae.Shape.LatentChannels * patch * patch;

    /// <summary>Side of the images the codec reads and writes, in pixels.</summary>
    public int ImageSize => info.ImageSize!.Value;

    /// <summary>Side of the codec's latent grid, in cells (before grouping into patches).</summary>
    public int LatentSide => ImageSize / vae.Shape.Downsample;

    /// <summary>Side of the grid of sequence positions one image becomes: latent cells per side over the patch size.</summary>
    public int? LatentGridSide => LatentSide / patch;

    /// <summary>The positions and coordinates of one image's latents, values zero: what generation fills in.</summary>
    public ModalityInput Layout()
    {
        using var scope = NewDisposeScope();
        return LatentGrid.ToInput(LatentPatches.Group(zeros(vae.Shape.LatentChannels, LatentSide, LatentSide), patch));
    }

    /// <inheritdoc/>
    public ModalityInput Encode(SegmentRecord segment)
    {
        var media = SegmentDecoder.Decode(segment);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var latents = media.Encoded is { Latents: not null } stored
            ? tensor(stored.Latents, [.. stored.Shape.Select(d => (long)d)])
            : vae.Encode(ImageTensors.Stack([media.Image ?? throw new InvalidDataException("an image segment must hold an image or image latents")], info.ImageSize!.Value)).Mean[0];
        return LatentGrid.ToInput(LatentPatches.Group(latents * vae.ScalingFactor, patch));   // [z, h, w] → positions
    }

    /// <inheritdoc/>
    public SegmentRecord Decode(ModalityInput output)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var latents = LatentPatches.Ungroup(LatentGrid.FromInput(output), patch) / vae.ScalingFactor;  // [z, h, w]
        var image = ImageTensors.ToImage(vae.Decode(latents.unsqueeze(0)), 0);
        return Segments.OfImage(image);
    }
}
