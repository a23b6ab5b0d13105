using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Tests.Support;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Modalities.Codecs;

/// <summary>
/// The channel-padded convolutions against the same convolution in float64 (which libtorch runs without oneDNN), with
/// freed memory full of NaN before the forward and the backward pass: plain float32 layers of the stride-1 shapes below
/// whose widths are not multiples of 16 returned NaN or wrong input gradients there (transposed ones: outputs), which is
/// how the image VAE's weights became NaN at a random step.
/// </summary>
public sealed class ChannelPaddedConvolutionTests : TorchTest
{
    [Theory]
    [InlineData(16, 3, 3, 1, 1)]   // the image VAE's output
    [InlineData(32, 8, 3, 1, 1)]   // its moments (4 latent channels)
    [InlineData(8, 8, 3, 1, 1)]    // a residual block at codec.base_channels: 8
    [InlineData(8, 24, 4, 2, 1)]   // a downsampling step
    [InlineData(16, 16, 3, 1, 1)]  // a multiple of 16: run as it is
    public void Conv2dMatchesFloat64AndItsGradientsStayFiniteWhenFreedMemoryHoldsNaN(int inChannels, int outChannels, int kernel, int stride, int padding)
    {
        using var scope = NewDisposeScope();
        AssertMatchesFloat64(new ChannelPaddedConv2d(inChannels, outChannels, kernel, stride, padding), randn(4, inChannels, 16, 16),
            (x, w, b) => nn.functional.conv2d(x, w, b, [stride, stride], [padding, padding]));
    }

    [Theory]
    [InlineData(16, 1, 7, 1, 3, 1)]   // the audio codec's waveform output
    [InlineData(8, 8, 7, 1, 9, 3)]    // a dilated residual unit at codec.base_channels: 8
    [InlineData(8, 24, 4, 2, 1, 1)]   // a strided encoder step
    public void Conv1dMatchesFloat64AndItsGradientsStayFiniteWhenFreedMemoryHoldsNaN(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation)
    {
        using var scope = NewDisposeScope();
        AssertMatchesFloat64(new ChannelPaddedConv1d(inChannels, outChannels, kernel, stride, padding, dilation), randn(4, inChannels, 256),
            (x, w, b) => nn.functional.conv1d(x, w, b, stride, padding, dilation));
    }

    [Theory]
    [InlineData(24, 8, 3, 1, 1, 0)]   // stride 1, input channels not a multiple of 16
    [InlineData(3, 16, 10, 5, 3, 1)]  // the audio codec's upsampling steps
    [InlineData(32, 16, 8, 4, 2, 0)]
    public void ConvTranspose1dMatchesFloat64AndStaysFiniteWhenFreedMemoryHoldsNaN(int inChannels, int outChannels, int kernel, int stride, int padding, int outputPadding)
    {
        using var scope = NewDisposeScope();
        AssertMatchesFloat64(new ChannelPaddedConvTranspose1d(inChannels, outChannels, kernel, stride, padding, outputPadding), randn(4, inChannels, 64),
            (x, w, b) => nn.functional.conv_transpose1d(x, w, b, stride, padding, outputPadding));
    }

    [Fact]
    public void TheirParametersAreNamedAndShapedLikeTorchSharpsSoSavedCodecsLoad()
    {
        using var padded = new ChannelPaddedConv2d(32, 3, 3, padding: 1);
        using var plain = nn.Conv2d(32, 3, 3, padding: 1);
        using var paddedTranspose = new ChannelPaddedConvTranspose1d(24, 8, 4, 2, 1);
        using var plainTranspose = nn.ConvTranspose1d(24, 8, 4, stride: 2, padding: 1);

        Assert.Equal(Shapes(plain), Shapes(padded));
        Assert.Equal(Shapes(plainTranspose), Shapes(paddedTranspose));
        padded.load_state_dict(plain.state_dict());
        using var input = randn(2, 32, 8, 8);
        Assert.True(padded.forward(input).allclose(plain.forward(input), rtol: 1e-4, atol: 1e-5));
    }

    private static (string, string)[] Shapes(nn.Module module) =>
        [.. module.state_dict().Select(p => (p.Key, string.Join("×", p.Value.shape)))];

    // Forward and backward with freed memory full of NaN before each, against the same layer in float64.
    private static void AssertMatchesFloat64(Convolution conv, Tensor input, Func<Tensor, Tensor, Tensor, Tensor> float64Layer)
    {
        input.requires_grad_(true);
        FreedMemory.FillWithNaN();
        var output = conv.forward(input);
        var outputGradient = randn(output.shape);
        FreedMemory.FillWithNaN();
        output.backward([outputGradient]);

        var input64 = input.detach().to_type(ScalarType.Float64).requires_grad_(true);
        var weight64 = conv.weight.detach().to_type(ScalarType.Float64).requires_grad_(true);
        var bias64 = conv.bias!.detach().to_type(ScalarType.Float64).requires_grad_(true);
        var expected = float64Layer(input64, weight64, bias64);
        expected.backward([outputGradient.to_type(ScalarType.Float64)]);

        Assert.Equal(expected.shape, output.shape);
        Assert.True(output.isfinite().all().item<bool>(), "output is not finite");
        Assert.True(input.grad!.isfinite().all().item<bool>(), "input gradient is not finite");
        Close(expected, output, "output");
        Close(input64.grad!, input.grad!, "input gradient");
        Close(weight64.grad!, conv.weight.grad!, "weight gradient");
        Close(bias64.grad!, conv.bias!.grad!, "bias gradient");
    }

    private static void Close(Tensor expected, Tensor actual, string what)
    {
        var error = (actual.to_type(ScalarType.Float64) - expected).abs().max().item<double>();
        var scale = expected.abs().max().item<double>();
        Assert.True(error <= 1e-4 * Math.Max(1, scale), $"{what}: max error {error:g3} at scale {scale:g3}");
    }
}
