using Luma.Unified.Training.Guards;

namespace Luma.Unified.Tests.Training;

public sealed class LossSpikeDetectorTests
{
    private static double Noisy(int step) => 2.0 + 0.01 * Math.Sin(step * 1.7);

    [Fact]
    public void ALossFarAboveTheRecentStepsIsFlaggedWithItsDistance()
    {
        var detector = new LossSpikeDetector(zScore: 6);
        for (var step = 0; step < 50; step++)
        {
            Assert.False(detector.IsSpike(Noisy(step), out _, out _));
        }

        Assert.True(detector.IsSpike(2.5, out var mean, out var sigmas));

        Assert.InRange(mean, 1.99, 2.01);
        Assert.True(sigmas > 40, $"{sigmas:0.0} σ");
        Assert.Equal(1, detector.Spikes);
        // The spike stayed out of the history, so the same jump is flagged again.
        Assert.True(detector.IsSpike(2.5, out _, out _));
        Assert.Equal(2, detector.Spikes);
    }

    [Fact]
    public void NothingIsFlaggedBeforeTwentyStepsOfHistoryOrWhenDisabled()
    {
        var early = new LossSpikeDetector(zScore: 6);
        var disabled = new LossSpikeDetector(zScore: 0);
        for (var step = 0; step < LossSpikeDetector.MinimumHistory - 1; step++)
        {
            early.IsSpike(Noisy(step), out _, out _);
        }
        for (var step = 0; step < 50; step++)
        {
            disabled.IsSpike(Noisy(step), out _, out _);
        }

        Assert.False(early.IsSpike(10, out _, out _));
        Assert.False(disabled.IsSpike(10, out _, out var sigmas));
        Assert.True(sigmas > 100);
        Assert.Equal(0, early.Spikes + disabled.Spikes);
    }

    [Fact]
    public void AFallingLossIsNotASpike()
    {
        var detector = new LossSpikeDetector(zScore: 6);

        var flagged = Enumerable.Range(0, 300).Count(step => detector.IsSpike(5.5 * Math.Exp(-step / 60.0) + 0.3 + 0.02 * Math.Sin(step), out _, out _));

        Assert.Equal(0, flagged);
    }
}
