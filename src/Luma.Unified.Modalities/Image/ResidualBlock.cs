using Luma.Unified.Modalities.Codecs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Image;

/// <summary>GroupNorm → SiLU → 3×3 conv, twice, plus a (1×1-projected) skip. <c>[b, in, h, w]</c> → <c>[b, out, h, w]</c>.</summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly GroupNorm norm1;
    private readonly ChannelPaddedConv2d conv1;
    private readonly GroupNorm norm2;
    private readonly ChannelPaddedConv2d conv2;
    private readonly ChannelPaddedConv2d? skip;

    public ResidualBlock(long inChannels, long outChannels) : base(nameof(ResidualBlock))
    {
        norm1 = Norm(inChannels);
        conv1 = new ChannelPaddedConv2d(inChannels, outChannels, 3, padding: 1);
        norm2 = Norm(outChannels);
        conv2 = new ChannelPaddedConv2d(outChannels, outChannels, 3, padding: 1);
        skip = inChannels == outChannels ? null : new ChannelPaddedConv2d(inChannels, outChannels, 1);
        RegisterComponents();
    }

    /// <summary>
    /// GroupNorm over <paramref name="channels"/> (8 groups, or 1 for odd widths) with weight 1 and bias 0.
    /// TorchSharp 0.107 leaves GroupNorm's affine parameters uninitialised (NaN was seen), so they are set here.
    /// </summary>
    public static GroupNorm Norm(long channels)
    {
        var norm = nn.GroupNorm(channels % 8 == 0 ? 8 : 1, channels);
        using (no_grad())
        {
            norm.weight!.fill_(1);
            norm.bias!.zero_();
        }
        return norm;
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = conv1.forward(nn.functional.silu(norm1.forward(input)));
        h = conv2.forward(nn.functional.silu(norm2.forward(h)));
        var residual = skip is null ? input : skip.forward(input);
        return (residual + h).MoveToOuterDisposeScope();
    }
}
