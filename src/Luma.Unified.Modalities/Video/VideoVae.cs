using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Modalities.Image;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Video;

// Shapes: b = batch, t = frames = 1 + k·s, s = temporal factor, h × w = frame size, f = spatial factor,
// c = frame feature width, z = latent channels.

/// <summary>
/// The image VAE extended in time: every frame goes through the spatial encoder to features
/// <c>[b, c, t, h/f, w/f]</c>; the first frame is kept on its own and each following group of s frames is
/// compressed into one latent frame by a strided temporal convolution, so latent frame i depends only on frames
/// up to its own group (causal). Clips <c>[b, 3, 1 + k·s, h, w]</c> ↔ latents <c>[b, z, 1 + k, h/f, w/f]</c>.
/// </summary>
public sealed class VideoVae : nn.Module, IVariationalAutoencoder
{
    private readonly ImageVae spatial;
    private readonly Conv3d temporalDown;
    private readonly Conv3d firstFrameIn;
    private readonly Conv3d momentsOut;
    private readonly Conv3d latentIn;
    private readonly ConvTranspose3d temporalUp;
    private readonly Conv3d firstFrameOut;

    public VideoVae(VideoVaeShape shape) : base(nameof(VideoVae))
    {
        Shape = shape;
        var (c, s) = (shape.Spatial.LatentChannels, shape.TemporalDownsample);
        spatial = new ImageVae(shape.Spatial);
        temporalDown = nn.Conv3d(c, 2 * c, (s, 1, 1), stride: (s, 1, 1));
        firstFrameIn = nn.Conv3d(c, 2 * c, 1);
        momentsOut = nn.Conv3d(2 * c, 2 * shape.LatentChannels, 1);
        latentIn = nn.Conv3d(shape.LatentChannels, 2 * c, 1);
        temporalUp = nn.ConvTranspose3d(2 * c, c, (s, 1, 1), stride: (s, 1, 1));
        firstFrameOut = nn.Conv3d(2 * c, c, 1);
        RegisterComponents();
    }

    /// <summary>The dimensions it was built with.</summary>
    public VideoVaeShape Shape { get; }

    /// <inheritdoc/>
    public double ScalingFactor { get; set; } = 1.0;

    /// <summary>clips <c>[b, 3, t, h, w]</c> → (mean, log-variance), each <c>[b, z, 1 + (t − 1)/s, h/f, w/f]</c>.</summary>
    public (Tensor Mean, Tensor LogVariance) Encode(Tensor clips)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (clips.shape[0], clips.shape[2]);
        Shape.LatentFrames((int)t);
        var frames = clips.permute(0, 2, 1, 3, 4).reshape(b * t, 3, clips.shape[3], clips.shape[4]);
        var features = spatial.Encode(frames).Mean;                                   // [b·t, c, h', w']
        features = features.reshape(b, t, features.shape[1], features.shape[2], features.shape[3]).permute(0, 2, 1, 3, 4);
        var first = firstFrameIn.forward(features.narrow(2, 0, 1));                  // [b, 2c, 1, h', w']
        var rest = t > 1 ? temporalDown.forward(features.narrow(2, 1, t - 1)) : null; // [b, 2c, k, h', w']
        var joined = rest is null ? first : cat([first, rest], dim: 2);
        var moments = momentsOut.forward(nn.functional.silu(joined)).chunk(2, dim: 1);
        return (moments[0].MoveToOuterDisposeScope(), moments[1].clamp(-30, 20).MoveToOuterDisposeScope());
    }

    /// <summary>latents <c>[b, z, 1 + k, h/f, w/f]</c> → clips <c>[b, 3, 1 + k·s, h, w]</c>.</summary>
    public Tensor Decode(Tensor latents)
    {
        using var scope = NewDisposeScope();
        var (b, latentFrames) = (latents.shape[0], latents.shape[2]);
        var h = nn.functional.silu(latentIn.forward(latents));
        var first = firstFrameOut.forward(h.narrow(2, 0, 1));
        var features = latentFrames > 1 ? cat([first, temporalUp.forward(h.narrow(2, 1, latentFrames - 1))], dim: 2) : first; // [b, c, t, h', w']
        var t = features.shape[2];
        var frames = spatial.Decode(features.permute(0, 2, 1, 3, 4).reshape(b * t, features.shape[1], features.shape[3], features.shape[4]));
        return frames.reshape(b, t, 3, frames.shape[2], frames.shape[3]).permute(0, 2, 1, 3, 4).MoveToOuterDisposeScope();
    }

    /// <summary>One training pass: (reconstruction MSE, KL to N(0, I) per latent element, the reconstruction).</summary>
    public (Tensor Reconstruction, Tensor Kl, Tensor Output) Losses(Tensor clips)
    {
        using var scope = NewDisposeScope();
        var (mean, logVariance) = Encode(clips);
        var latent = mean + (0.5 * logVariance).exp() * randn_like(mean);
        var output = Decode(latent);
        var reconstruction = nn.functional.mse_loss(output, clips);
        var kl = (0.5 * (mean.pow(2) + logVariance.exp() - 1 - logVariance)).mean();
        return (reconstruction.MoveToOuterDisposeScope(), kl.MoveToOuterDisposeScope(), output.MoveToOuterDisposeScope());
    }
}
