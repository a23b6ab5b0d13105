using System.Diagnostics;
using Luma.Unified.Runtime.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Runtime.Performance;

/// <summary>
/// This machine's dense matmul throughput: the peak a run's achieved FLOP/s is compared with (MFU), and what
/// <c>train.precision: auto</c> decides by. Measured, never looked up: machines of one kind differ.
/// </summary>
public static class MatmulThroughput
{
    private const int ProductsPerCudaRun = 20;

    /// <summary>
    /// GFLOP/s of an n×n by n×n matmul in <paramref name="dtype"/> on <paramref name="device"/>: the best of
    /// <paramref name="repeats"/> timed runs after one untimed warm-up (which pays for allocation and kernel choice).
    /// </summary>
    public static double Measure(ScalarType dtype, int size, int repeats, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // A generator of its own leaves the process's random stream (model init, dropout, noise) untouched.
        using var generator = SeededDraw.Generator(0);
        var a = SeededDraw.Normal([size, size], generator, device ?? CPU).to(dtype);
        var b = SeededDraw.Normal([size, size], generator, device ?? CPU).to(dtype);
        // A GPU finishes a 4096² product in well under a millisecond, about what launching it and reading a value
        // back cost; a timed run there queues several products back to back so that the clock sees the arithmetic.
        var products = device?.type == DeviceType.CUDA ? ProductsPerCudaRun : 1;
        var best = double.MaxValue;
        for (var run = 0; run <= repeats; run++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 1; i < products; i++)
            {
                mm(a, b).Dispose();
            }
            using var product = mm(a, b);
            // Reading one element waits for the product, so the clock also covers asynchronous (CUDA) work.
            product[0, 0].to(ScalarType.Float32).item<float>();
            if (run > 0)
            {
                best = Math.Min(best, clock.Elapsed.TotalSeconds / products);
            }
        }
        return 2.0 * size * size * size / best / 1e9;
    }

    /// <summary>The best GFLOP/s over the square <paramref name="sizes"/> (each the best of <paramref name="repeats"/>), with every size's figure.</summary>
    public static MatmulPeak Peak(ScalarType dtype, IReadOnlyList<int> sizes, int repeats, Device? device = null)
    {
        var bySize = sizes.ToDictionary(s => s, s => Measure(dtype, s, repeats, device));
        return new MatmulPeak(dtype, bySize);
    }
}

/// <summary>Measured matmul GFLOP/s of one dtype by square size; <see cref="Gflops"/> is the best of them.</summary>
public sealed record MatmulPeak(ScalarType Dtype, IReadOnlyDictionary<int, double> BySize)
{
    public double Gflops => BySize.Values.Max();

    /// <summary>The better figure of each size from this and <paramref name="other"/> (a second measurement of the same dtype).</summary>
    public MatmulPeak Best(MatmulPeak other) =>
        this with { BySize = BySize.Keys.Union(other.BySize.Keys).ToDictionary(s => s, s => Math.Max(BySize.GetValueOrDefault(s), other.BySize.GetValueOrDefault(s))) };
}
