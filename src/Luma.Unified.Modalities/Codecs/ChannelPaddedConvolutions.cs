using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Codecs;

/// <summary>
/// Convolutions for the codecs that never hand libtorch's CPU convolution (oneDNN) a channel count it has to pad.
/// <see cref="ChannelPaddedConv1d"/>, <see cref="ChannelPaddedConv2d"/> and <see cref="ChannelPaddedConvTranspose1d"/>
/// replace <c>nn.Conv1d</c>, <c>nn.Conv2d</c> and <c>nn.ConvTranspose1d</c> with the same parameters (names, shapes,
/// initialisation: saved codecs load unchanged) and the same results.
/// <para>
/// Why: libtorch 2.10 (TorchSharp 0.107) computes a stride-1 convolution's input gradient, and a stride-1 transposed
/// convolution's output, over channels rounded up to oneDNN's SIMD block (16 floats with AVX-512, 8 with AVX2), and
/// reads the rounding from memory it never initialised. Where that memory held a NaN bit pattern the whole gradient
/// came back NaN and AdamW wrote NaN into every weight before the layer; otherwise it was 0 · garbage, or for some
/// widths silently wrong. The image VAE logged "reconstruction NaN kl NaN" from a random step (25, 114, …; the same
/// seed failed or not from run to run) through its 3-channel output and 8-channel moments; any width that is not a
/// multiple of 16 (<c>codec.base_channels: 8</c>), the patch discriminator's 1-channel logits and the audio codec's
/// 1-channel waveform were exposed the same way. Gradient clipping cannot help (the gradient itself is NaN) and the
/// forward pass was never affected. Here the rounding is done with real zeros: a layer with c output channels (input
/// channels, for the transposed one) runs with <see cref="ChannelBlock"/>-rounded channels whose extra filters are
/// zero, and the extra outputs are dropped. Layers whose widths are multiples of 16 run unchanged.
/// </para>
/// </summary>
public static class ChannelPadding
{
    /// <summary>The channel multiple oneDNN computes without padding: AVX-512's 16 floats (a multiple of AVX2's 8).</summary>
    public const long ChannelBlock = 16;

    /// <summary>How many zero channels bring <paramref name="channels"/> to a multiple of <see cref="ChannelBlock"/>.</summary>
    public static long Extra(long channels) => (ChannelBlock - channels % ChannelBlock) % ChannelBlock;

    /// <summary><paramref name="tensor"/> with <paramref name="extra"/> zeros appended along dimension 0 (filters, or a transposed convolution's inputs).</summary>
    internal static Tensor PadFirstDimension(Tensor tensor, long extra)
    {
        var padding = new long[2 * tensor.dim()];
        padding[^1] = extra;
        return nn.functional.pad(tensor, padding);
    }
}

/// <summary><c>nn.Conv2d</c> (one group, zero padding) whose input gradient is computed without padded channels; see <see cref="ChannelPadding"/>.</summary>
public sealed class ChannelPaddedConv2d : Convolution
{
    public ChannelPaddedConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0)
        : base(nameof(Conv2d), inChannels, outChannels, [kernelSize, kernelSize], [stride, stride], [padding, padding], null,
            [1, 1], false, [0, 0], 1, true, PaddingModes.Zeros)
    {
    }

    /// <summary><c>[b, in, h, w]</c> → <c>[b, out, h', w']</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        var extra = ChannelPadding.Extra(out_channels);
        if (extra == 0)
        {
            return nn.functional.conv2d(input, weight, bias, stride, padding, dilation, groups);
        }
        using var scope = NewDisposeScope();
        var output = nn.functional.conv2d(input, ChannelPadding.PadFirstDimension(weight, extra), ChannelPadding.PadFirstDimension(bias!, extra),
            stride, padding, dilation, groups);
        return output.narrow(1, 0, out_channels).MoveToOuterDisposeScope();
    }
}

/// <summary><c>nn.Conv1d</c> (one group, zero padding) whose input gradient is computed without padded channels; see <see cref="ChannelPadding"/>.</summary>
public sealed class ChannelPaddedConv1d : Convolution
{
    public ChannelPaddedConv1d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1)
        : base(nameof(Conv1d), inChannels, outChannels, [kernelSize], [stride], [padding], null, [dilation], false, [0], 1, true, PaddingModes.Zeros)
    {
    }

    /// <summary><c>[b, in, n]</c> → <c>[b, out, n']</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        var extra = ChannelPadding.Extra(out_channels);
        if (extra == 0)
        {
            return nn.functional.conv1d(input, weight, bias, stride[0], padding![0], dilation[0], groups);
        }
        using var scope = NewDisposeScope();
        var output = nn.functional.conv1d(input, ChannelPadding.PadFirstDimension(weight, extra), ChannelPadding.PadFirstDimension(bias!, extra),
            stride[0], padding![0], dilation[0], groups);
        return output.narrow(1, 0, out_channels).MoveToOuterDisposeScope();
    }
}

/// <summary><c>nn.ConvTranspose1d</c> (one group) whose output is computed without padded input channels; see <see cref="ChannelPadding"/>.</summary>
public sealed class ChannelPaddedConvTranspose1d : Convolution
{
    public ChannelPaddedConvTranspose1d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long outputPadding = 0)
        : base(nameof(ConvTranspose1d), inChannels, outChannels, [kernelSize], [stride], [padding], null, [1], true, [outputPadding], 1, true, PaddingModes.Zeros)
    {
    }

    /// <summary><c>[b, in, n]</c> → <c>[b, out, n']</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        var extra = ChannelPadding.Extra(in_channels);
        if (extra == 0)
        {
            return nn.functional.conv_transpose1d(input, weight, bias, stride[0], padding![0], output_padding[0], groups, dilation[0]);
        }
        using var scope = NewDisposeScope();
        var paddedInput = nn.functional.pad(input, [0, 0, 0, extra]);
        var output = nn.functional.conv_transpose1d(paddedInput, ChannelPadding.PadFirstDimension(weight, extra), bias,
            stride[0], padding![0], output_padding[0], groups, dilation[0]);
        return output.MoveToOuterDisposeScope();
    }
}
