using Luma.Unified.Runtime.Randomness;
using Luma.Unified.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Runtime;

public sealed class SeededDrawTests : TorchTest
{
    [Fact]
    public void TheSameSeedDrawsTheSameNumbers()
    {
        using var first = SeededDraw.Generator(42);
        using var second = SeededDraw.Generator(42);
        using var other = SeededDraw.Generator(43);

        var a = SeededDraw.Normal([2, 3], first, CPU).data<float>().ToArray();
        var b = SeededDraw.Normal([2, 3], second, CPU).data<float>().ToArray();
        var c = SeededDraw.Normal([2, 3], other, CPU).data<float>().ToArray();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void DrawsHaveTheAskedShapeRangeAndDevice()
    {
        using var generator = SeededDraw.Generator(5);

        using var uniform = SeededDraw.Uniform([1000], generator, CPU);
        using var integers = SeededDraw.Integers(3, 7, [1000], generator, CPU);
        using var unseeded = SeededDraw.Normal([4, 5], null, CPU);

        Assert.Equal([1000L], uniform.shape);
        Assert.InRange(uniform.min().item<float>(), 0f, 0.01f);
        Assert.InRange(uniform.max().item<float>(), 0.99f, 1f);
        Assert.Equal(3L, integers.min().item<long>());
        Assert.Equal(6L, integers.max().item<long>());
        Assert.Equal([4L, 5L], unseeded.shape);
        Assert.Equal(DeviceType.CPU, unseeded.device_type);
    }
}
