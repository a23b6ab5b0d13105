using System.Runtime;
using Luma.Unified.Runtime.Native;

namespace Luma.Unified.Training.Stepping;

/// <summary>
/// Keeps .NET garbage collections out of training steps, and makes one at every step boundary. Why out: TorchSharp
/// 0.107 hands every numeric operand to libtorch as a temporary native scalar that it neither disposes nor keeps
/// alive across the call (<c>add</c> and <c>sub</c> make one for their implicit alpha = 1). When a collection happens
/// during such a call, the finalizer can free the scalar while libtorch reads it, and the process dies with
/// <c>Scalar::toFloat</c> or <c>Unknown scalar type</c> — seen twice within 350 steps of one run on a machine loaded
/// ten times over its cores. So steps run inside a no-GC region of <see cref="Budget"/> bytes. Why at every boundary:
/// tensors that a step leaves to their finalizers (wrappers made outside any dispose scope, inside TorchSharp too)
/// hold their native memory until a collection runs them, and a step allocates so little managed memory (~0.4 MB on
/// bench-cpu.yaml) that without one, resident memory grew by ~60 MB a step (1.1 → 1.8 GB in 15 steps, measured).
/// The boundary's collection and finalizers cost a few milliseconds. Every <see cref="FullCollectionInterval"/>th
/// boundary collects every generation: objects alive at one boundary (a batch, a step's outputs) are promoted out
/// of generation 0, and since no collection of the runtime's own ever runs, those that die later would otherwise
/// keep their native memory for the life of the process (300 bench-cpu steps: resident memory grew 9.0 % with
/// generation-0 collections only, 4.7 % with full ones). Every <see cref="TrimInterval"/>th boundary, after a full
/// collection, the heap's free pages go back to the kernel (glibc <c>malloc_trim</c>): the allocator settings keep
/// freed memory in the process so that steps do not fault their activations in afresh, but tensors of sizes that
/// change from step to step (the text / image split of each batch) leave free holes that only ever add pages.
/// Returning them every 50 steps bounds resident memory by what 50 steps touch, for one step's page faults.
/// The collections run through <see cref="CollectionGate"/>, so they wait for the data loader's decode workers
/// (libtorch calls on other threads) to leave theirs. A no-GC region is process-wide: when several trainers share a
/// process (tests), the first one owns it, and while other fences are alive it collects only when the region runs
/// low, because its boundary falls inside their steps.
/// </summary>
public sealed class CollectionFence : IDisposable
{
    /// <summary>
    /// Managed bytes a region allows before it ends early: one step's when the fence is alone, the steps' between two
    /// renewals beside other fences (a step of the demo allocates a few MB).
    /// </summary>
    public const long Budget = 256L << 20;

    /// <summary>Boundaries between two collections of every generation (the others collect generation 0 only).</summary>
    public const int FullCollectionInterval = 10;

    /// <summary>Boundaries between two returns of the heap's free pages to the kernel; a multiple of <see cref="FullCollectionInterval"/>.</summary>
    public const int TrimInterval = 50;

    private static readonly Lock s_lock = new();
    private static CollectionFence? s_owner;
    private static int s_alive;
    private long _allocatedAtStart;
    private int _collections;
    private bool _disposed;

    public CollectionFence()
    {
        lock (s_lock)
        {
            s_alive++;
        }
    }

    /// <summary>Regions started: one per step boundary, or fewer while other fences are alive.</summary>
    public int Renewals { get; private set; }

    /// <summary>Times the heap's free pages were returned to the kernel.</summary>
    public int Trims { get; private set; }

    /// <summary>Regions that ended early, inside some step, because its allocations outgrew what was left.</summary>
    public int Breaches { get; private set; }

    /// <summary>
    /// Call between steps: collects, runs the finalizers the step left, and starts a new region. Beside other live
    /// fences it only renews the region when half of it is used or it ended, as seldom as it can.
    /// </summary>
    public void AtStepBoundary() => Renew(settle: false);

    /// <summary>
    /// Call between steps before reading resident memory: a boundary that collects every generation and returns the
    /// heap's free pages whatever the cadence, so that two readings compare live memory, not whichever free pages the
    /// allocator happens to hold at that step (the bench's RSS growth). The regular boundaries keep their cadence.
    /// </summary>
    public void Settle() => Renew(settle: true);

    private void Renew(bool settle)
    {
        lock (s_lock)
        {
            if (s_owner is not null && s_owner != this)
            {
                return;
            }
            var inRegion = GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;
            var alone = s_alive == 1;
            if (inRegion && !alone && GC.GetTotalAllocatedBytes() - _allocatedAtStart < Budget / 2)
            {
                return;
            }
            if (!inRegion && s_owner == this)
            {
                Breaches++;
            }
            // Boundary 0, a settle's, is a multiple of both intervals: a full collection and a trim.
            var boundary = alone && !settle ? ++_collections : 0;
            // The region ends behind the gate too: ended while the gate waits for a worker, it would let the runtime
            // collect on its own right then.
            s_owner = CollectionGate.Collect(() =>
            {
                if (inRegion)
                {
                    End();
                }
                if (alone)
                {
                    // The step's garbage is young: a generation-0 collection finds it, and waiting for its finalizers
                    // frees the native memory of undisposed tensors before the next step allocates its own.
                    GC.Collect(boundary % FullCollectionInterval == 0 ? GC.MaxGeneration : 0, GCCollectionMode.Forced, blocking: true);
                    GC.WaitForPendingFinalizers();
                    if (boundary % TrimInterval == 0 && MallocTuning.ReleaseFreeMemory())
                    {
                        Trims++;
                    }
                }
                // Starting a region collects too, so it waits behind the gate as well.
                return GC.TryStartNoGCRegion(Budget) ? this : null;
            });
            _allocatedAtStart = GC.GetTotalAllocatedBytes();
            Renewals += s_owner == this ? 1 : 0;
        }
    }

    public void Dispose()
    {
        lock (s_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            s_alive--;
            if (s_owner == this)
            {
                if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
                {
                    End();
                }
                s_owner = null;
            }
        }
    }

    private static void End()
    {
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The region already ended (an induced collection); there is nothing left to end.
        }
    }
}
