using System.Runtime;

namespace Luma.Unified.Training.Stepping;

/// <summary>
/// Keeps .NET garbage collections out of training steps. Why: TorchSharp 0.107 hands every numeric operand to
/// libtorch as a temporary native scalar that it neither disposes nor keeps alive across the call (<c>add</c> and
/// <c>sub</c> make one for their implicit alpha = 1). When a collection happens during such a call, the finalizer can
/// free the scalar while libtorch reads it, and the process dies with <c>Scalar::toFloat</c> or <c>Unknown scalar
/// type</c> — seen twice within 350 steps of one run on a machine loaded ten times over its cores. So the process runs
/// inside a no-GC region of <see cref="Budget"/> bytes that is renewed (with the one full collection that costs) only
/// at a step boundary, when half of it is used or when an allocation larger than what is left ended it early.
/// A no-GC region is process-wide: when several trainers share a process (tests), the first one owns it.
/// </summary>
public sealed class CollectionFence : IDisposable
{
    /// <summary>Managed bytes the steps between two renewals may allocate (a step of the demo allocates a few MB).</summary>
    public const long Budget = 256L << 20;

    private static readonly Lock s_lock = new();
    private static CollectionFence? s_owner;
    private long _allocatedAtStart;

    /// <summary>Regions started (each after a full collection).</summary>
    public int Renewals { get; private set; }

    /// <summary>Regions that ended early, inside some step, because its allocations outgrew what was left.</summary>
    public int Breaches { get; private set; }

    /// <summary>Call between steps: renews the region when it ran low or ended.</summary>
    public void AtStepBoundary()
    {
        lock (s_lock)
        {
            if (s_owner is not null && s_owner != this)
            {
                return;
            }
            var inRegion = GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;
            if (inRegion && GC.GetTotalAllocatedBytes() - _allocatedAtStart < Budget / 2)
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
            s_owner = GC.TryStartNoGCRegion(Budget) ? this : null;
            _allocatedAtStart = GC.GetTotalAllocatedBytes();
            Renewals += s_owner == this ? 1 : 0;
        }
    }

    public void Dispose()
    {
        lock (s_lock)
        {
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
