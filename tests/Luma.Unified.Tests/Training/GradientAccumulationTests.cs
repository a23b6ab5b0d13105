using Luma.Unified.Tests.Support;
using Luma.Unified.Training;
using Luma.Unified.Training.Observability;

namespace Luma.Unified.Tests.Training;

/// <summary>Compares two runs' losses, so both must start from the same random initialisation: see <see cref="ExclusiveRandomStream"/>.</summary>
[Collection(ExclusiveRandomStream.Name)]
public sealed class GradientAccumulationTests : TorchTest
{
    private static TrainingResult Train(TempDirectory temp, params string[] overrides)
    {
        var config = TinyConfigs.Load(overrides);
        var run = RunDirectory.Create(temp.Combine("run"), config.ToYaml());
        using var log = RunLogging.Create(run.LogFile);
        return new Trainer(config, run, log).Run();
    }

    [Fact]
    public void GradientAccumulationMatchesOneLargeBatch()
    {
        using var oneBatch = new TempDirectory();
        using var accumulated = new TempDirectory();

        var whole = Train(oneBatch, "train.steps=3", "train.micro_batch=8", "train.global_batch=8", "checkpoint.every=0");
        var split = Train(accumulated, "train.steps=3", "train.micro_batch=4", "train.global_batch=8", "checkpoint.every=0");

        Assert.Equal(whole.FirstLoss, split.FirstLoss, 5);
        Assert.Equal(whole.FinalLoss, split.FinalLoss, 4);
    }
}
