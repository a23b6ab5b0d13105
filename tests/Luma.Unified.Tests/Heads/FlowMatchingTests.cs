using Luma.Unified.Heads.Diffusion;
using Luma.Unified.Tests.Support;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Heads;

public sealed class FlowMatchingTests : TorchTest
{
    [Fact]
    public void RectifiedFlowInterpolatesStraightAndTargetsTheConstantVelocity()
    {
        using var clean = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var noise = tensor(new float[] { 0, 0, 1, 1 }, [2, 2]);
        using var t = tensor(new float[] { 0.25f, 1f });

        var (noised, velocity) = RectifiedFlow.Noise(clean, noise, t);

        // Row 0 at t = 0.25: 0.75·[1, 2] + 0.25·[0, 0]; row 1 at t = 1: pure noise.
        Assert.Equal(new float[] { 0.75f, 1.5f, 1, 1 }, noised.data<float>().ToArray());
        Assert.Equal(new float[] { -1, -2, -2, -3 }, velocity.data<float>().ToArray());
        Assert.Equal(0, RectifiedFlow.Loss(velocity, velocity).item<float>());
        Assert.Equal(1, RectifiedFlow.Loss(velocity + 1, velocity).item<float>(), 6);
    }

    [Fact]
    public void LogitNormalTimestepsCentreOnTheSigmoidOfTheMeanAndShiftTowardNoise()
    {
        using var generator = new Generator(3);
        using var plain = new LogitNormalTimesteps(mean: 0, std: 1).Sample(20_000, generator, CPU);
        using var shifted = new LogitNormalTimesteps(mean: 0, std: 1, shift: 3).Sample(20_000, generator, CPU);

        Assert.InRange(plain.min().item<float>(), 0f, 1f);
        Assert.InRange(plain.max().item<float>(), 0f, 1f);
        Assert.InRange(plain.median().item<float>(), 0.48f, 0.52f);
        Assert.InRange(shifted.median().item<float>(), 0.73f, 0.77f); // 3·0.5 / (1 + 2·0.5) = 0.75
        using var t = tensor(new float[] { 0, 0.5f, 1 });
        Assert.Equal(new float[] { 0, 0.75f, 1 }, LogitNormalTimesteps.Shift(t, 3).data<float>().ToArray());
    }

    [Fact]
    public void TheSameSeedDrawsTheSameTimesteps()
    {
        using var a = new Generator(9);
        using var b = new Generator(9);

        Assert.Equal(new LogitNormalTimesteps().Sample(8, a, CPU).data<float>().ToArray(), new LogitNormalTimesteps().Sample(8, b, CPU).data<float>().ToArray());
        Assert.Equal(new UniformTimesteps().Sample(8, a, CPU).data<float>().ToArray(), new UniformTimesteps().Sample(8, b, CPU).data<float>().ToArray());
    }

    [Fact]
    public void EulerFollowsAStraightPathExactlyAndHeunALinearlyChangingOne()
    {
        using var data = tensor(new float[] { 2, -1 }, [1, 2]);
        using var noise = tensor(new float[] { 0.5f, 0.5f }, [1, 2]);
        // The exact rectified-flow velocity towards one data point: constant along the path.
        VelocityField straight = (x, t) => noise - data;
        // v(t) = 2t·c integrates to x(0) = x(1) − c over [0, 1]; Euler is off by O(Δt), Heun is exact.
        using var c = tensor(new float[] { 1, 3 }, [1, 2]);
        VelocityField linear = (x, t) => 2 * t.unsqueeze(1) * c;

        var uniform = FlowTimeGrid.Shifted(4);
        Assert.True(new EulerSampler().Sample(straight, noise, uniform).allclose(data, atol: 1e-6));
        Assert.True(new HeunSampler().Sample(linear, noise, uniform).allclose(noise - c, atol: 1e-6));
        Assert.False(new EulerSampler().Sample(linear, noise, uniform).allclose(noise - c, atol: 1e-3));
        // Both stay exact on any grid that runs from 1 to 0, shifted or not.
        var shifted = FlowTimeGrid.Shifted(4, shift: 3);
        Assert.True(new EulerSampler().Sample(straight, noise, shifted).allclose(data, atol: 1e-6));
        Assert.True(new HeunSampler().Sample(linear, noise, shifted).allclose(noise - c, atol: 1e-6));
    }

    [Fact]
    public void TheShiftedTimeGridRunsFromNoiseToDataAndCrowdsTheNoisyEnd()
    {
        Assert.Equal([1, 0.75, 0.5, 0.25, 0], FlowTimeGrid.Shifted(4));
        var shifted = FlowTimeGrid.Shifted(4, shift: 3);
        Assert.Equal(1, shifted[0], 12);
        Assert.Equal(0.75, shifted[2], 12); // 3·0.5 / (1 + 2·0.5), the training timestep shift of the same t
        Assert.Equal(0, shifted[4], 12);
        Assert.True(shifted[0] - shifted[1] < shifted[3] - shifted[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => FlowTimeGrid.Shifted(0));
    }

    [Fact]
    public void GuidanceAtScaleOneIsTheConditionalPredictionAndZeroTheUnconditional()
    {
        using var conditional = tensor(new float[] { 1, 2 });
        using var unconditional = tensor(new float[] { 3, -1 });

        Assert.Equal(conditional.data<float>().ToArray(), ClassifierFreeGuidance.Combine(conditional, unconditional, 1).data<float>().ToArray());
        Assert.Equal(unconditional.data<float>().ToArray(), ClassifierFreeGuidance.Combine(conditional, unconditional, 0).data<float>().ToArray());
        Assert.Equal(new float[] { -1, 5 }, ClassifierFreeGuidance.Combine(conditional, unconditional, 2).data<float>().ToArray());
        var guided = ClassifierFreeGuidance.Guided((x, t) => x * 0 + conditional, (x, t) => x * 0 + unconditional, 1);
        Assert.Equal(conditional.data<float>().ToArray(), guided(zeros(2), zeros(1)).data<float>().ToArray());
    }
}
