using Luma.Unified.Distributed.Mpi;
using Luma.Unified.Distributed.Nccl;
using Luma.Unified.Runtime.Placement;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Distributed;

/// <summary>Picks the engine for a process: none for one process, NCCL for CUDA tensors, else Open MPI.</summary>
public static class Collectives
{
    /// <summary>
    /// Joins the job <paramref name="placement"/> describes, with tensors on <paramref name="device"/>. The world
    /// the engine reports must agree with the launcher's variables; a mismatch means the processes were not started
    /// by an MPI launcher (<c>luma launch</c>, <c>mpirun</c>, <c>srun</c>) and is an error that says so.
    /// </summary>
    public static ICollectives Join(RankPlacement placement, Device device, TimeSpan timeout)
    {
        if (!placement.IsDistributed)
        {
            return new SingleProcessCollectives();
        }
        var host = new MpiCollectives(timeout);
        if (host.Rank != placement.Rank || host.WorldSize != placement.WorldSize)
        {
            var (rank, size) = (host.Rank, host.WorldSize);
            host.Dispose();
            throw new InvalidOperationException(
                $"the {placement.Launcher} says rank {placement.Rank} of {placement.WorldSize}, but Open MPI sees rank {rank} of {size}: " +
                "start the processes with `luma launch`, `mpirun` or `srun --mpi=pmix` so that they form one MPI world (see docs/distributed.md).");
        }
        if (device.type != DeviceType.CUDA)
        {
            return host;
        }
        try
        {
            return new NcclCollectives(host, timeout);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
