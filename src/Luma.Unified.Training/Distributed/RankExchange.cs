using Luma.Unified.Distributed;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Distributed;

/// <summary>Small host-side exchanges between ranks: sums of a few numbers, and every rank's bytes gathered.</summary>
public static class RankExchange
{
    /// <summary>The element-wise sum of <paramref name="values"/> over all ranks (float64, so counts stay exact).</summary>
    public static double[] Sum(ICollectives world, double[] values)
    {
        if (world.WorldSize == 1 || values.Length == 0)
        {
            return values;
        }
        using var sums = tensor(values, ScalarType.Float64);
        world.AllReduceSum(sums);
        return sums.data<double>().ToArray();
    }

    /// <summary>True on every rank when <paramref name="flag"/> is true on any.</summary>
    public static bool Any(ICollectives world, bool flag) => Sum(world, [flag ? 1 : 0])[0] > 0;

    /// <summary>Every rank's <paramref name="mine"/>, in rank order (lengths may differ between ranks).</summary>
    public static IReadOnlyList<byte[]> Gather(ICollectives world, byte[] mine)
    {
        if (world.WorldSize == 1)
        {
            return [mine];
        }
        using var lengths = zeros(world.WorldSize, ScalarType.Int64);
        lengths[world.Rank] = mine.Length;
        world.AllReduceSum(lengths);
        var sizes = lengths.data<long>().ToArray();
        var width = (int)sizes.Max();
        using var padded = zeros(width, ScalarType.Byte);
        mine.CopyTo(padded.bytes);
        using var all = zeros(width * world.WorldSize, ScalarType.Byte);
        world.AllGather(padded, all);
        var bytes = all.bytes.ToArray();
        return [.. Enumerable.Range(0, world.WorldSize).Select(r => bytes.AsSpan(r * width, (int)sizes[r]).ToArray())];
    }
}
