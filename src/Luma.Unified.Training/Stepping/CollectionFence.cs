using System.Runtime;

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
/// The boundary's collection and finalizers cost a few milliseconds.
/// A no-GC region is process-wide: when several trainers share a process (tests), the first one owns it, and while
/// other fences are alive it collects only when the region runs low, because its boundary falls inside their steps.
/// </summary>
public sealed class CollectionFence : IDisposable
{
    /// <summary>
    /// Managed bytes a region allows before it ends early: one step's when the fence is alone, the steps' between two
    /// renewals beside other fences (a step of the demo allocates a few MB).
    /// </summary>
    public const long Budget = 256L << 20;

    private static readonly Lock s_lock = new();
    private static CollectionFence? s_owner;
    private static int s_alive;
    private long _allocatedAtStart;
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

    /// <summary>Regions that ended early, inside some step, because its allocations outgrew what was left.</summary>
    public int Breaches { get; private set; }

    /// <summary>
    /// Call between steps: collects, runs the finalizers the step left, and starts a new region. Beside other live
    /// fences it only renews the region when half of it is used or it ended, as seldom as it can.
    /// </summary>
    public void AtStepBoundary()
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
            if (inRegion)
            {
                End();
            }
            else if (s_owner == this)
            {
                Breaches++;
            }
            if (alone)
            {
                // The step's garbage is young: a generation-0 collection finds it, and waiting for its finalizers
                // frees the native memory of undisposed tensors before the next step allocates its own.
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                GC.WaitForPendingFinalizers();
            }
            s_owner = GC.TryStartNoGCRegion(Budget) ? this : null;
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
