using static TorchSharp.torch;

namespace Luma.Unified.Distributed;

/// <summary>
/// The collective operations data-parallel training needs, performed by an engine (Open MPI, NCCL) on the
/// tensors' own memory: every tensor must be contiguous, and every rank must call the same operations in the
/// same order with tensors of the same shape and type. Sums only: averaging is the caller's arithmetic.
/// </summary>
public interface ICollectives : IDisposable
{
    /// <summary>This process's rank, 0 ≤ rank &lt; <see cref="WorldSize"/>.</summary>
    int Rank { get; }

    /// <summary>Processes taking part.</summary>
    int WorldSize { get; }

    /// <summary>The engine's name as logs show it, e.g. "Open MPI 4.1.4".</summary>
    string Engine { get; }

    /// <summary>Replaces <paramref name="tensor"/> on every rank by the element-wise sum over all ranks.</summary>
    void AllReduceSum(Tensor tensor);

    /// <summary>Copies rank <paramref name="root"/>'s <paramref name="tensor"/> into every other rank's.</summary>
    void Broadcast(Tensor tensor, int root);

    /// <summary><paramref name="output"/> (world × n elements) becomes every rank's <paramref name="input"/> (n elements), in rank order.</summary>
    void AllGather(Tensor input, Tensor output);

    /// <summary>
    /// <paramref name="output"/> (n elements) becomes the sum over ranks of this rank's n-element block of
    /// <paramref name="input"/> (world × n elements).
    /// </summary>
    void ReduceScatterSum(Tensor input, Tensor output);

    /// <summary>Returns once every rank has called it.</summary>
    void Barrier();
}
