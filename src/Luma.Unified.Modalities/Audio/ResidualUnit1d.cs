using Luma.Unified.Modalities.Codecs;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Audio;

/// <summary>ELU → dilated 7-tap conv → ELU → 1×1 conv, plus the input (SoundStream's residual unit). <c>[b, c, t]</c> → same.</summary>
public sealed class ResidualUnit1d : nn.Module<Tensor, Tensor>
{
    private readonly ChannelPaddedConv1d dilated;
    private readonly ChannelPaddedConv1d pointwise;

    public ResidualUnit1d(long channels, long dilation) : base(nameof(ResidualUnit1d))
    {
        dilated = new ChannelPaddedConv1d(channels, channels, 7, padding: 3 * dilation, dilation: dilation);
        pointwise = new ChannelPaddedConv1d(channels, channels, 1);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = pointwise.forward(Elu.Apply(dilated.forward(Elu.Apply(input))));
        return (input + h).MoveToOuterDisposeScope();
    }
}
