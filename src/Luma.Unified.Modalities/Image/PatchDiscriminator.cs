using Luma.Unified.Modalities.Codecs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Image;

/// <summary>
/// A PatchGAN discriminator (pix2pix) for the optional adversarial term of VAE training: images
/// <c>[b, 3, h, w]</c> → real/fake logits per patch <c>[b, 1, h/8, w/8]</c>.
/// </summary>
public sealed class PatchDiscriminator : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    public PatchDiscriminator(int channels) : base(nameof(PatchDiscriminator))
    {
        layers = nn.Sequential(
            new ChannelPaddedConv2d(3, channels, 4, stride: 2, padding: 1), nn.LeakyReLU(0.2),
            new ChannelPaddedConv2d(channels, 2 * channels, 4, stride: 2, padding: 1), nn.LeakyReLU(0.2),
            new ChannelPaddedConv2d(2 * channels, 4 * channels, 4, stride: 2, padding: 1), nn.LeakyReLU(0.2),
            new ChannelPaddedConv2d(4 * channels, 1, 3, padding: 1));
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor images) => layers.forward(images);

    /// <summary>Hinge loss of the discriminator: relu(1 − D(real)) + relu(1 + D(fake)), fakes detached.</summary>
    public Tensor DiscriminatorLoss(Tensor real, Tensor fake)
    {
        using var scope = NewDisposeScope();
        var loss = nn.functional.relu(1 - forward(real)).mean() + nn.functional.relu(1 + forward(fake.detach())).mean();
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>The generator's adversarial loss: −D(fake).</summary>
    public Tensor GeneratorLoss(Tensor fake)
    {
        using var scope = NewDisposeScope();
        return (-forward(fake).mean()).MoveToOuterDisposeScope();
    }
}
