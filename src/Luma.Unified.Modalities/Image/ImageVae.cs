using Luma.Unified.Modalities.Codecs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Image;

// Shapes: b = batch, h × w = image size, f = downsample factor, z = latent channels.

/// <summary>
/// A convolutional, KL-regularised patch VAE (the Stable Diffusion family, scaled down for CPU): images
/// <c>[b, 3, h, w]</c> in [-1, 1] ↔ latents <c>[b, z, h/f, w/f]</c>. Each latent position is the patch the
/// diffusion head models; <see cref="ScalingFactor"/> (1 / std of training latents) brings them to unit variance.
/// </summary>
public sealed class ImageVae : nn.Module, IVariationalAutoencoder
{
    private readonly ChannelPaddedConv2d encoderStem;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> encoderBlocks;
    private readonly GroupNorm encoderNorm;
    private readonly ChannelPaddedConv2d encoderOut;
    private readonly ChannelPaddedConv2d decoderStem;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> decoderBlocks;
    private readonly GroupNorm decoderNorm;
    private readonly ChannelPaddedConv2d decoderOut;

    public ImageVae(ImageVaeShape shape) : base(nameof(ImageVae))
    {
        Shape = shape;
        var top = shape.Channels(shape.Levels);
        encoderStem = new ChannelPaddedConv2d(3, shape.Channels(0), 3, padding: 1);
        var encoder = new List<nn.Module<Tensor, Tensor>>();
        for (var level = 0; level < shape.Levels; level++)
        {
            encoder.Add(new ResidualBlock(shape.Channels(level), shape.Channels(level)));
            encoder.Add(new ChannelPaddedConv2d(shape.Channels(level), shape.Channels(level + 1), 4, stride: 2, padding: 1));
        }
        encoder.Add(new ResidualBlock(top, top));
        encoderBlocks = new ModuleList<nn.Module<Tensor, Tensor>>([.. encoder]);
        encoderNorm = ResidualBlock.Norm(top);
        encoderOut = new ChannelPaddedConv2d(top, 2 * shape.LatentChannels, 3, padding: 1);

        decoderStem = new ChannelPaddedConv2d(shape.LatentChannels, top, 3, padding: 1);
        var decoder = new List<nn.Module<Tensor, Tensor>> { new ResidualBlock(top, top) };
        for (var level = shape.Levels; level > 0; level--)
        {
            decoder.Add(nn.Upsample(scale_factor: [2.0, 2.0], mode: UpsampleMode.Nearest));
            decoder.Add(new ChannelPaddedConv2d(shape.Channels(level), shape.Channels(level - 1), 3, padding: 1));
            decoder.Add(new ResidualBlock(shape.Channels(level - 1), shape.Channels(level - 1)));
        }
        decoderBlocks = new ModuleList<nn.Module<Tensor, Tensor>>([.. decoder]);
        decoderNorm = ResidualBlock.Norm(shape.Channels(0));
        decoderOut = new ChannelPaddedConv2d(shape.Channels(0), 3, 3, padding: 1);
        RegisterComponents();
    }

    /// <summary>The dimensions it was built with.</summary>
    public ImageVaeShape Shape { get; }

    /// <summary>1 / std of latent means over training images; multiply latents by it before diffusion.</summary>
    public double ScalingFactor { get; set; } = 1.0;

    /// <summary>images <c>[b, 3, h, w]</c> → (mean, log-variance), each <c>[b, z, h/f, w/f]</c>.</summary>
    public (Tensor Mean, Tensor LogVariance) Encode(Tensor images)
    {
        using var scope = NewDisposeScope();
        var h = encoderStem.forward(images);
        foreach (var block in encoderBlocks)
        {
            h = block.forward(h);
        }
        var moments = encoderOut.forward(nn.functional.silu(encoderNorm.forward(h)));
        var parts = moments.chunk(2, dim: 1);
        // Clamped as in Stable Diffusion's VAE: keeps exp() finite early in training.
        return (parts[0].MoveToOuterDisposeScope(), parts[1].clamp(-30, 20).MoveToOuterDisposeScope());
    }

    /// <summary>latents <c>[b, z, h/f, w/f]</c> → images <c>[b, 3, h, w]</c> (roughly [-1, 1]; clamp before saving).</summary>
    public Tensor Decode(Tensor latents)
    {
        using var scope = NewDisposeScope();
        var h = decoderStem.forward(latents);
        foreach (var block in decoderBlocks)
        {
            h = block.forward(h);
        }
        return decoderOut.forward(nn.functional.silu(decoderNorm.forward(h))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One training pass: encode, sample a latent with the reparameterisation trick, decode.
    /// Returns (reconstruction loss = MSE, KL divergence to N(0, I) averaged over latent elements, the reconstruction).
    /// </summary>
    public (Tensor Reconstruction, Tensor Kl, Tensor Output) Losses(Tensor images)
    {
        using var scope = NewDisposeScope();
        var (mean, logVariance) = Encode(images);
        var latent = mean + (0.5 * logVariance).exp() * randn_like(mean);
        var output = Decode(latent);
        var reconstruction = nn.functional.mse_loss(output, images);
        var kl = (0.5 * (mean.pow(2) + logVariance.exp() - 1 - logVariance)).mean();
        return (reconstruction.MoveToOuterDisposeScope(), kl.MoveToOuterDisposeScope(), output.MoveToOuterDisposeScope());
    }
}
