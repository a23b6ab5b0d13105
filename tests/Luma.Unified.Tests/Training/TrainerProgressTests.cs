using Luma.Unified.Tests.Support;
using Luma.Unified.Training;
using Luma.Unified.Training.Observability;

namespace Luma.Unified.Tests.Training;

public sealed class TrainerProgressTests : TorchTest
{
    [Fact]
    public void EveryStepIsReportedOnceInOrderWithItsLoss()
    {
        using var temp = new TempDirectory();
        var config = TinyConfigs.Load("train.steps=6");
        var run = RunDirectory.Create(temp.Combine("run"), config.ToYaml());
        var reports = new Recorder();
        using var log = RunLogging.Create(run.LogFile);

        var result = new Trainer(config, run, log) { Progress = reports }.Run();

        Assert.Equal([1, 2, 3, 4, 5, 6], reports.Seen.Select(r => r.Step));
        Assert.All(reports.Seen, r => Assert.Equal(6, r.Steps));
        Assert.All(reports.Seen, r => Assert.True(double.IsFinite(r.Loss) && r.Loss > 0));
        Assert.Equal(result.FirstLoss, reports.Seen[0].Loss, 6);
    }

    private sealed class Recorder : IProgress<StepProgress>
    {
        public List<StepProgress> Seen { get; } = [];

        public void Report(StepProgress value) => Seen.Add(value);
    }
}
