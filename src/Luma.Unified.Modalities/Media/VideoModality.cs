using Luma.Unified.Abstractions;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;
using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Modalities.Video;
using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Media;

/// <summary>
/// Videos through a frozen video VAE, for the diffusion head: each <paramref name="patch"/> × <paramref name="patch"/>
/// square of latent cells of a latent frame is one position with their z channels (scaled) and 3-D coordinates
/// (latent frame, row, column of the patch). Pre-encoded segments are used as stored and grouped here.
/// </summary>
public sealed class VideoModality(VideoVae vae, CodecInfo info, int patch = 1) : IModality
{
    /// <inheritdoc/>
    public string Name => Segments.Video;

    /// <inheritdoc/>
    public ModalityHead Head => ModalityHead.Diffusion;

    /// <inheritdoc/>
    public int VocabSize => 0;

    /// <inheritdoc/>
    public int LatentChannels => vae.Shape.LatentChannels * patch * patch;

    /// <summary>Side of the frames the codec reads and writes, in pixels.</summary>
    public int FrameSize => info.ImageSize!.Value;

    /// <summary>Side of a latent frame's grid, in cells (before grouping into patches).</summary>
    public int LatentSide => FrameSize / vae.Shape.Spatial.Downsample;

    /// <summary>Side of the grid of sequence positions one frame becomes: latent cells per side over the patch size.</summary>
    public int? LatentGridSide => LatentSide / patch;

    /// <summary>Video frames that <paramref name="latentFrames"/> latent frames decode to (the first frame alone, then the temporal factor each).</summary>
    public int FramesOf(int latentFrames) => 1 + (latentFrames - 1) * vae.Shape.TemporalDownsample;

    /// <summary>Latent frames of a <paramref name="frames"/>-frame video.</summary>
    public int LatentFramesOf(int frames) => vae.Shape.LatentFrames(frames);

    /// <summary>The positions and coordinates of <paramref name="latentFrames"/> latent frames, values zero: what generation fills in.</summary>
    public ModalityInput Layout(int latentFrames)
    {
        using var scope = NewDisposeScope();
        return LatentGrid.ToInput(LatentPatches.Group(zeros(vae.Shape.LatentChannels, latentFrames, LatentSide, LatentSide), patch));
    }

    /// <inheritdoc/>
    public ModalityInput Encode(SegmentRecord segment)
    {
        var media = SegmentDecoder.Decode(segment);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor latents;
        if (media.Encoded is { Latents: not null } stored)
        {
            latents = tensor(stored.Latents, [.. stored.Shape.Select(d => (long)d)]);
        }
        else
        {
            var clip = media.Video ?? throw new InvalidDataException("a video segment must hold a video or video latents");
            try
            {
                vae.Shape.LatentFrames(clip.Frames.Count);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException(e.Message);
            }
            latents = vae.Encode(ImageTensors.Stack([.. clip.Frames], info.ImageSize!.Value).permute(1, 0, 2, 3).unsqueeze(0)).Mean[0];
        }
        return LatentGrid.ToInput(LatentPatches.Group(latents * vae.ScalingFactor, patch));   // [z, t, h, w] → positions
    }

    /// <inheritdoc/>
    public SegmentRecord Decode(ModalityInput output)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var clips = vae.Decode((LatentPatches.Ungroup(LatentGrid.FromInput(output), patch) / vae.ScalingFactor).unsqueeze(0))[0].permute(1, 0, 2, 3); // [t, 3, h, w]
        var frames = Enumerable.Range(0, (int)clips.shape[0]).Select(f => ImageTensors.ToImage(clips, f)).ToList();
        return Segments.OfVideo(new VideoClip(frames, 8));
    }
}
