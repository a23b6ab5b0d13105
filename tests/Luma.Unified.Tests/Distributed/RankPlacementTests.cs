using Luma.Unified.Runtime.Placement;

namespace Luma.Unified.Tests.Distributed;

public sealed class RankPlacementTests
{
    private static RankPlacement Detect(params (string Name, string Value)[] variables) =>
        RankPlacement.Detect(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void NoLauncherMeansOneProcess() => Assert.Equal(RankPlacement.Single, Detect());

    [Fact]
    public void TorchrunVariablesComeFirst()
    {
        var placement = Detect(("RANK", "3"), ("WORLD_SIZE", "8"), ("LOCAL_RANK", "1"), ("LOCAL_WORLD_SIZE", "2"), ("OMPI_COMM_WORLD_RANK", "0"), ("OMPI_COMM_WORLD_SIZE", "8"));

        Assert.Equal(new RankPlacement(3, 8, 1, 2, "torchrun-style environment"), placement);
        Assert.True(placement.IsDistributed);
    }

    [Fact]
    public void MpirunVariablesAreRead() =>
        Assert.Equal(new RankPlacement(5, 6, 2, 3, "Open MPI (mpirun)"),
            Detect(("OMPI_COMM_WORLD_RANK", "5"), ("OMPI_COMM_WORLD_SIZE", "6"), ("OMPI_COMM_WORLD_LOCAL_RANK", "2"), ("OMPI_COMM_WORLD_LOCAL_SIZE", "3")));

    [Fact]
    public void SlurmVariablesAreReadIncludingRepeatedTaskCounts() =>
        Assert.Equal(new RankPlacement(9, 16, 1, 8, "Slurm (srun)"),
            Detect(("SLURM_PROCID", "9"), ("SLURM_STEP_NUM_TASKS", "16"), ("SLURM_LOCALID", "1"), ("SLURM_STEP_TASKS_PER_NODE", "8(x2)")));

    [Fact]
    public void ABatchScriptOutsideSrunIsOneProcess() =>
        Assert.Equal(RankPlacement.Single, Detect(("SLURM_PROCID", "0"), ("SLURM_NTASKS", "32"), ("SLURM_NTASKS_PER_NODE", "8")));

    [Fact]
    public void ARankOutsideTheWorldIsRefusedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => Detect(("RANK", "4"), ("WORLD_SIZE", "4")));

        Assert.Contains("RANK='4'", error.Message, StringComparison.Ordinal);
        Assert.Contains("0..3", error.Message, StringComparison.Ordinal);
    }
}
