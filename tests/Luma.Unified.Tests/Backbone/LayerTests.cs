using Luma.Unified.Backbone;
using Luma.Unified.Backbone.Layers;
using Luma.Unified.Tests.Support;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Backbone;

public sealed class LayerTests : TorchTest
{
    [Fact]
    public void RmsNormDividesByTheRootMeanSquare()
    {
        using var norm = new RmsNorm(4, eps: 0);
        using var x = tensor(new float[] { 1, 2, 3, 4 }, [1, 4]);

        using var y = norm.forward(x);

        var rms = Math.Sqrt((1 + 4 + 9 + 16) / 4.0);
        var expected = new[] { 1 / rms, 2 / rms, 3 / rms, 4 / rms };
        Assert.Equal(expected, y.data<float>().ToArray().Select(v => (double)v), new ToleranceComparer(1e-6));
        Assert.Equal(ScalarType.Float32, y.dtype);
    }

    [Fact]
    public void RotaryEmbeddingPreservesNormsAndDependsOnlyOnRelativePosition()
    {
        using var rotary = new RotaryEmbedding(headDim: 8, maxSeqLen: 64, theta: 10000);
        manual_seed(1);
        using var q = randn(1, 1, 1, 8);
        using var k = randn(1, 1, 1, 8);

        double Score(long qPosition, long kPosition)
        {
            using var scope = NewDisposeScope();
            var (cq, sq) = rotary.Tables(tensor(new[] { qPosition }, [1, 1]));
            var (ck, sk) = rotary.Tables(tensor(new[] { kPosition }, [1, 1]));
            return (RotaryEmbedding.Apply(q, cq, sq) * RotaryEmbedding.Apply(k, ck, sk)).sum().item<float>();
        }

        var (c, s) = rotary.Tables(tensor(new long[] { 5 }, [1, 1]));
        using var rotated = RotaryEmbedding.Apply(q, c, s);
        Assert.Equal(q.norm().item<float>(), rotated.norm().item<float>(), 5);
        Assert.Equal(Score(3, 1), Score(10, 8), 4);
        Assert.NotEqual(Score(3, 1), Score(3, 2), 3);
        Assert.Throws<ArgumentException>(() => rotary.Tables(tensor(new long[] { 64 }, [1, 1])));
    }

    [Fact]
    public void Bf16ComputeKeepsFp32MasterWeightsAndStaysCloseToFp32()
    {
        var precision = new ComputePrecision();
        using var linear = new CastingLinear(64, 32, precision);
        manual_seed(2);
        using var x = randn(4, 64);

        using var fp32 = linear.forward(x);
        precision.Dtype = ScalarType.BFloat16;
        using var bf16 = linear.forward(x);

        Assert.Equal(ScalarType.Float32, linear.Weight.dtype);
        Assert.Equal(ScalarType.Float32, fp32.dtype);
        Assert.Equal(ScalarType.BFloat16, bf16.dtype);
        var relativeError = ((bf16.to(ScalarType.Float32) - fp32).norm() / fp32.norm()).item<float>();
        Assert.InRange(relativeError, 0, 1e-2);
        Assert.Throws<ArgumentException>(() => precision.Dtype = ScalarType.Float16);
    }
}
