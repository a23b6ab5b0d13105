using Luma.Unified.Training.Optimization;

namespace Luma.Unified.Tests.Training;

public sealed class WarmupCosineScheduleTests
{
    private readonly WarmupCosineSchedule _schedule = new(PeakLr: 1e-3, MinLr: 1e-4, WarmupSteps: 10, TotalSteps: 111);

    [Fact]
    public void WarmupRisesLinearlyToThePeak()
    {
        Assert.Equal(1e-4, _schedule.At(0), 12);
        Assert.Equal(5e-4, _schedule.At(4), 12);
        Assert.Equal(1e-3, _schedule.At(9), 12);
    }

    [Fact]
    public void CosineDecaysFromPeakThroughMidpointToTheMinimum()
    {
        Assert.Equal(1e-3, _schedule.At(10), 12);
        Assert.Equal(5.5e-4, _schedule.At(60), 12); // halfway through the 100 decay steps
        Assert.Equal(1e-4, _schedule.At(110), 12);
        var values = Enumerable.Range(10, 101).Select(_schedule.At).ToList();
        Assert.Equal(values.OrderByDescending(v => v), values);
    }
}
