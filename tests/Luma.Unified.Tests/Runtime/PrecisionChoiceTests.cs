using Luma.Unified.Config.Options;
using Luma.Unified.Runtime.Performance;
using Luma.Unified.Tests.Support;
using Luma.Unified.Tests.Training;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Runtime;

[Collection(ExclusiveRandomStream.Name)]
public sealed class PrecisionChoiceTests : TorchTest
{
    [Fact]
    public void AutoPicksTheDtypeWhoseMatmulMeasuredFasterAndSaysWhy()
    {
        var (fp32, bf16) = PrecisionChoice.Probe(CPU);

        var choice = PrecisionChoice.Resolve(Precision.Auto, CPU);

        Assert.True(fp32 > 0 && bf16 > 0);
        Assert.Equal(bf16 > fp32 ? Precision.Bf16Mixed : Precision.Fp32, choice.Precision);
        Assert.Equal(bf16 > fp32 ? ScalarType.BFloat16 : ScalarType.Float32, choice.ComputeDtype);
        Assert.Contains("auto:", choice.Reason, StringComparison.Ordinal);
        Assert.Contains("GFLOP/s", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TheProbeIsMeasuredOncePerProcessAndLeavesTheRandomStreamAlone()
    {
        manual_seed(5);
        var first = PrecisionChoice.Probe(CPU);
        var drawn = rand(1).item<float>();
        manual_seed(5);
        var expected = rand(1).item<float>();

        Assert.Equal(first, PrecisionChoice.Probe(CPU));
        Assert.Equal(expected, drawn);
    }

    [Theory]
    [InlineData(Precision.Fp32, ScalarType.Float32)]
    [InlineData(Precision.Bf16Mixed, ScalarType.BFloat16)]
    public void AnExplicitPrecisionIsKept(Precision precision, ScalarType dtype)
    {
        var choice = PrecisionChoice.Resolve(precision, CPU);

        Assert.Equal(precision, choice.Precision);
        Assert.Equal(dtype, choice.ComputeDtype);
    }

    [Fact]
    public void MatmulThroughputIsTheBestOfTheMeasuredSizes()
    {
        var peak = MatmulThroughput.Peak(ScalarType.Float32, [64, 128], repeats: 2);

        Assert.Equal([64, 128], peak.BySize.Keys.Order());
        Assert.Equal(peak.BySize.Values.Max(), peak.Gflops);
        Assert.All(peak.BySize.Values, g => Assert.True(g > 0));
    }
}
