using Luma.Unified.Distributed;
using Luma.Unified.Distributed.Launch;
using Luma.Unified.Distributed.Nccl;
using Luma.Unified.Runtime.Placement;
using Luma.Unified.Tests.Support;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Distributed;

public sealed class CollectivesTests : TorchTest
{
    [Fact]
    public void OneProcessJoinsWithoutAnEngineAndItsCollectivesAreTheIdentity()
    {
        using var world = Collectives.Join(RankPlacement.Single, CPU, TimeSpan.FromSeconds(1));
        using var values = tensor(new[] { 1f, 2f, 3f });
        using var gathered = zeros(3);

        world.AllReduceSum(values);
        world.AllGather(values, gathered);

        Assert.IsType<SingleProcessCollectives>(world);
        Assert.Equal([1f, 2f, 3f], gathered.data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => world.AllGather(values, zeros(4)));
    }

    [Fact]
    public void AStridedTensorIsRefusedBeforeItReachesAnEngine()
    {
        using var world = new SingleProcessCollectives();
        using var matrix = zeros(3, 4);

        var error = Assert.Throws<ArgumentException>(() => world.AllReduceSum(matrix.t()));

        Assert.Contains("contiguous", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutNcclTheErrorSaysWhatToInstall()
    {
        var error = Assert.Throws<DllNotFoundException>(() => NcclLibrary.Load("libnccl-absent.so.2"));

        Assert.Contains("libnccl-absent.so.2 (NCCL 2) could not be loaded", error.Message, StringComparison.Ordinal);
        Assert.Contains("run.device: cpu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LaunchMapsOpenMpiRanksToTorchrunVariables()
    {
        var arguments = MpirunLauncher.Arguments(2, ["train", "--config", "c.yaml"]);

        Assert.Equal(["-np", "2"], arguments.Take(2));
        Assert.Contains(arguments, a => a.Contains("RANK=\"$OMPI_COMM_WORLD_RANK\"", StringComparison.Ordinal) && a.Contains("LOCAL_WORLD_SIZE=\"$OMPI_COMM_WORLD_LOCAL_SIZE\"", StringComparison.Ordinal));
        Assert.Equal(["train", "--config", "c.yaml"], arguments.TakeLast(3));
    }
}
