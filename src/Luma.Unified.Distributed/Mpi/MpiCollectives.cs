using System.Diagnostics;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Distributed.Mpi;

/// <summary>
/// Collectives on CPU tensors through Open MPI, for processes started by <c>mpirun</c>, <c>srun</c> or
/// <c>luma launch</c>. Each operation is issued non-blocking and polled against <c>timeout</c>: a rank that died
/// makes <c>mpirun</c> end the job, but a rank that stops responding would leave the others waiting for ever, so a
/// collective that does not complete in time aborts the whole job with a message naming this rank and the
/// operation.
/// </summary>
public sealed class MpiCollectives : ICollectives
{
    private readonly TimeSpan _timeout;
    private readonly IntPtr _world;
    private long _operations;
    private bool _disposed;

    /// <summary>Initialises MPI (once per process) and joins MPI_COMM_WORLD.</summary>
    public MpiCollectives(TimeSpan timeout)
    {
        _timeout = timeout;
        MpiLibrary.EnsureLoaded();
        Check(MpiLibrary.MPI_Initialized(out var initialized), "MPI_Initialized");
        if (initialized == 0)
        {
            // Funneled: only the training thread calls MPI (loader threads never do).
            Check(MpiLibrary.MPI_Init_thread(IntPtr.Zero, IntPtr.Zero, MpiLibrary.ThreadFunneled, out _), "MPI_Init_thread");
        }
        _world = MpiLibrary.World;
        Check(MpiLibrary.MPI_Comm_rank(_world, out var rank), "MPI_Comm_rank");
        Check(MpiLibrary.MPI_Comm_size(_world, out var size), "MPI_Comm_size");
        (Rank, WorldSize, Engine) = (rank, size, LibraryVersion());
    }

    public int Rank { get; }

    public int WorldSize { get; }

    public string Engine { get; }

    public void AllReduceSum(Tensor tensor)
    {
        var (pointer, count, type) = Buffer(tensor);
        Check(MpiLibrary.MPI_Iallreduce(MpiLibrary.InPlace, pointer, count, type, MpiLibrary.Sum, _world, out var request), "MPI_Iallreduce");
        Wait(request, "all-reduce", tensor);
    }

    public void Broadcast(Tensor tensor, int root)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, WorldSize);
        var (pointer, count, type) = Buffer(tensor);
        Check(MpiLibrary.MPI_Ibcast(pointer, count, type, root, _world, out var request), "MPI_Ibcast");
        Wait(request, "broadcast", tensor);
    }

    public void AllGather(Tensor input, Tensor output)
    {
        TensorMemory.RequireSameElements(input, output, WorldSize);
        var (send, count, type) = Buffer(input);
        Check(MpiLibrary.MPI_Iallgather(send, count, type, TensorMemory.Pointer(output), count, type, _world, out var request), "MPI_Iallgather");
        Wait(request, "all-gather", input);
    }

    public void ReduceScatterSum(Tensor input, Tensor output)
    {
        TensorMemory.RequireSameElements(output, input, WorldSize);
        var (receive, count, type) = Buffer(output);
        Check(MpiLibrary.MPI_Ireduce_scatter_block(TensorMemory.Pointer(input), receive, count, type, MpiLibrary.Sum, _world, out var request), "MPI_Ireduce_scatter_block");
        Wait(request, "reduce-scatter", output);
    }

    public void Barrier()
    {
        Check(MpiLibrary.MPI_Ibarrier(_world, out var request), "MPI_Ibarrier");
        Wait(request, "barrier", null);
    }

    /// <summary>The engine's own blocking all-reduce, without this class's timeout polling: the benchmark's baseline.</summary>
    public void RawAllReduceSum(Tensor tensor)
    {
        var (pointer, count, type) = Buffer(tensor);
        Check(MpiLibrary.MPI_Allreduce(MpiLibrary.InPlace, pointer, count, type, MpiLibrary.Sum, _world), "MPI_Allreduce");
    }

    /// <summary>Ends the whole job now (every rank, through the launcher) with <paramref name="code"/>.</summary>
    public void Abort(int code) => MpiLibrary.MPI_Abort(_world, code);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        MpiLibrary.MPI_Finalize();
    }

    private static (IntPtr Pointer, int Count, IntPtr Type) Buffer(Tensor tensor)
    {
        if (tensor.device_type != DeviceType.CPU)
        {
            throw new ArgumentException($"Open MPI collectives take CPU tensors; got one on {tensor.device} (CUDA tensors go through NCCL).");
        }
        if (tensor.numel() > int.MaxValue)
        {
            throw new ArgumentException($"a collective on {tensor.numel()} elements exceeds MPI's int count; reduce it in buckets (train.bucket_mb).");
        }
        return (TensorMemory.Pointer(tensor), (int)tensor.numel(), MpiLibrary.Datatype(tensor.dtype));
    }

    private void Wait(IntPtr request, string operation, Tensor? tensor)
    {
        _operations++;
        var clock = Stopwatch.StartNew();
        var spin = new SpinWait();
        while (true)
        {
            Check(MpiLibrary.MPI_Test(ref request, out var done, IntPtr.Zero), "MPI_Test");
            if (done != 0)
            {
                return;
            }
            if (clock.Elapsed > _timeout)
            {
                var what = tensor is null ? "" : $" of {tensor.numel():N0} {tensor.dtype} elements";
                Console.Error.WriteLine(
                    $"error: rank {Rank} of {WorldSize}: {operation} #{_operations}{what} did not complete within {_timeout.TotalSeconds:0.#} s " +
                    "(train.collective_timeout_s): another rank died or stopped responding. Aborting the job.");
                Console.Error.Flush();
                Abort(1);
            }
            // Yields the core between polls (never sleeps a whole millisecond): ranks share cores with libtorch.
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    private static unsafe string LibraryVersion()
    {
        var buffer = stackalloc byte[256];
        Check(MpiLibrary.MPI_Get_library_version(buffer, out var length), "MPI_Get_library_version");
        var text = Encoding.UTF8.GetString(buffer, length);
        return text.Split(',')[0].Trim();
    }

    private static void Check(int code, string function)
    {
        if (code != 0)
        {
            throw new InvalidOperationException($"{function} failed with MPI error code {code}.");
        }
    }
}
