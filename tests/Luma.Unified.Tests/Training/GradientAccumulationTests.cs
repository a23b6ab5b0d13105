using Luma.Unified.Tests.Support;
using Luma.Unified.Training;
using Luma.Unified.Training.Observability;

namespace Luma.Unified.Tests.Training;

/// <summary>Compares two runs' losses, so both must start from the same random initialisation: see <see cref="ExclusiveRandomStream"/>.</summary>
[Collection(ExclusiveRandomStream.Name)]
public sealed class GradientAccumulationTests : TorchTest
{
    [Fact]
    public void GradientAccumulationMatchesOneLargeBatch()
    {
        using var oneBatch = new TempDirectory();
        using var accumulated = new TempDirectory();

        var (whole, _) = TinyTraining.Run(oneBatch, "train.steps=3", "train.micro_batch=8", "train.global_batch=8", "checkpoint.every=0");
        var (split, _) = TinyTraining.Run(accumulated, "train.steps=3", "train.micro_batch=4", "train.global_batch=8", "checkpoint.every=0");

        Assert.Equal(whole.FirstLoss, split.FirstLoss, 5);
        Assert.Equal(whole.FinalLoss, split.FinalLoss, 4);
    }
}
