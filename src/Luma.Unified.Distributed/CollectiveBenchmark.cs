using System.Diagnostics;
using Luma.Unified.Distributed.Mpi;
using static TorchSharp.torch;

namespace Luma.Unified.Distributed;

/// <summary>One buffer size's all-reduce timing: through <see cref="ICollectives"/> and through the engine's own blocking call.</summary>
/// <param name="Bytes">Buffer size.</param>
/// <param name="FrameworkSeconds">Mean seconds per all-reduce through <see cref="MpiCollectives.AllReduceSum"/> (non-blocking + polled, with the timeout).</param>
/// <param name="EngineSeconds">Mean seconds per plain <c>MPI_Allreduce</c> on the same buffer.</param>
/// <param name="Ranks">Processes taking part.</param>
public sealed record AllReduceTiming(long Bytes, double FrameworkSeconds, double EngineSeconds, int Ranks)
{
    /// <summary>Bus bandwidth as NCCL's tests define it: bytes × 2(n−1)/n per second, comparable across rank counts.</summary>
    public static double BusBandwidth(long bytes, double seconds, int ranks) => bytes * 2.0 * (ranks - 1) / ranks / seconds;
}

/// <summary>Times float32 all-reduces of growing sizes on every rank (rank 0 reports; each figure is the slowest rank's mean).</summary>
public static class CollectiveBenchmark
{
    public static IReadOnlyList<AllReduceTiming> Run(MpiCollectives world, IReadOnlyList<long> sizes, int iterations)
    {
        var timings = new List<AllReduceTiming>();
        foreach (var bytes in sizes)
        {
            using var buffer = zeros(Math.Max(1, bytes / sizeof(float)), ScalarType.Float32);
            var framework = Time(world, () => world.AllReduceSum(buffer), iterations);
            var engine = Time(world, () => world.RawAllReduceSum(buffer), iterations);
            timings.Add(new AllReduceTiming(buffer.numel() * sizeof(float), framework, engine, world.WorldSize));
        }
        return timings;
    }

    private static double Time(MpiCollectives world, Action allReduce, int iterations)
    {
        for (var i = 0; i < 3; i++)
        {
            allReduce();
        }
        world.Barrier();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            allReduce();
        }
        using var seconds = tensor(new[] { clock.Elapsed.TotalSeconds / iterations });
        using var all = zeros(world.WorldSize, ScalarType.Float64);
        world.AllGather(seconds, all);
        return all.max().item<double>();
    }
}
