using Luma.Unified.Distributed.Mpi;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Distributed.Nccl;

/// <summary>
/// Collectives for CUDA tensors through NCCL, one GPU per rank; CPU tensors (loader positions, small flags) still
/// go through the Open MPI world that also carries NCCL's unique id from rank 0 to the others. NCCL calls are
/// queued on the legacy default CUDA stream, the stream libtorch computes on unless told otherwise, so they are
/// ordered after the kernels that produced the gradients; each call then waits for the device, and aborts the job
/// when that takes longer than the collective timeout.
/// Compiled and checked for a clear error without NCCL; not yet validated on GPU hardware.
/// </summary>
public sealed unsafe class NcclCollectives : ICollectives
{
    private static readonly IntPtr s_defaultStream = IntPtr.Zero;
    private readonly MpiCollectives _host;
    private readonly TimeSpan _timeout;
    private readonly IntPtr _comm;

    /// <summary>Joins the NCCL communicator of <paramref name="host"/>'s ranks.</summary>
    public NcclCollectives(MpiCollectives host, TimeSpan timeout)
    {
        (_host, _timeout) = (host, timeout);
        var version = NcclLibrary.Version();
        NcclLibrary.UniqueId id;
        if (host.Rank == 0)
        {
            NcclLibrary.Check(NcclLibrary.GetUniqueId(&id), "ncclGetUniqueId");
        }
        using (var token = TensorMemory.Bytes(new ReadOnlySpan<byte>(id.Bytes, 128)))
        {
            host.Broadcast(token, root: 0);
            token.bytes.CopyTo(new Span<byte>(id.Bytes, 128));
        }
        IntPtr comm;
        NcclLibrary.Check(NcclLibrary.CommInitRank(&comm, host.WorldSize, id, host.Rank), "ncclCommInitRank");
        _comm = comm;
        Engine = $"NCCL {version / 10000}.{version / 100 % 100}.{version % 100} (+ {host.Engine} for CPU tensors)";
    }

    public int Rank => _host.Rank;

    public int WorldSize => _host.WorldSize;

    public string Engine { get; }

    public void AllReduceSum(Tensor tensor)
    {
        if (OnHost(tensor))
        {
            _host.AllReduceSum(tensor);
            return;
        }
        var pointer = TensorMemory.Pointer(tensor);
        Run(NcclLibrary.AllReduce(pointer, pointer, (nuint)tensor.numel(), NcclLibrary.Datatype(tensor.dtype), NcclLibrary.Sum, _comm, s_defaultStream), "ncclAllReduce");
    }

    public void Broadcast(Tensor tensor, int root)
    {
        if (OnHost(tensor))
        {
            _host.Broadcast(tensor, root);
            return;
        }
        var pointer = TensorMemory.Pointer(tensor);
        Run(NcclLibrary.Broadcast(pointer, pointer, (nuint)tensor.numel(), NcclLibrary.Datatype(tensor.dtype), root, _comm, s_defaultStream), "ncclBroadcast");
    }

    public void AllGather(Tensor input, Tensor output)
    {
        if (OnHost(input))
        {
            _host.AllGather(input, output);
            return;
        }
        TensorMemory.RequireSameElements(input, output, WorldSize);
        Run(NcclLibrary.AllGather(TensorMemory.Pointer(input), TensorMemory.Pointer(output), (nuint)input.numel(), NcclLibrary.Datatype(input.dtype), _comm, s_defaultStream), "ncclAllGather");
    }

    public void ReduceScatterSum(Tensor input, Tensor output)
    {
        if (OnHost(input))
        {
            _host.ReduceScatterSum(input, output);
            return;
        }
        TensorMemory.RequireSameElements(output, input, WorldSize);
        Run(NcclLibrary.ReduceScatter(TensorMemory.Pointer(input), TensorMemory.Pointer(output), (nuint)output.numel(), NcclLibrary.Datatype(input.dtype), NcclLibrary.Sum, _comm, s_defaultStream), "ncclReduceScatter");
    }

    public void Barrier() => _host.Barrier();

    public void Dispose()
    {
        NcclLibrary.CommDestroy(_comm);
        _host.Dispose();
    }

    private static bool OnHost(Tensor tensor) => tensor.device_type == DeviceType.CPU;

    private void Run(int result, string function)
    {
        NcclLibrary.Check(result, function);
        // A peer that stopped responding leaves the kernel spinning: give up after the timeout and end the job.
        using var watchdog = new Timer(_ =>
        {
            Console.Error.WriteLine($"error: rank {Rank} of {WorldSize}: {function} did not complete within {_timeout.TotalSeconds:0.#} s (train.collective_timeout_s): another rank died or stopped responding. Aborting the job.");
            NcclLibrary.CommAbort(_comm);
            _host.Abort(1);
        }, null, _timeout, Timeout.InfiniteTimeSpan);
        cuda.synchronize();
    }
}
