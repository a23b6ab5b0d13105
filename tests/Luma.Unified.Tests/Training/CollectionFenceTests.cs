using System.Runtime;
using System.Runtime.CompilerServices;
using Luma.Unified.Training.Stepping;

namespace Luma.Unified.Tests.Training;

/// <summary>A no-GC region is process-wide, so these run where no other test trains at the same time.</summary>
[Collection(ExclusiveRandomStream.Name)]
public sealed class CollectionFenceTests
{
    [Fact]
    public void StepsAllocateWithoutACollectionAndEachBoundaryStartsANewRegion()
    {
        using var fence = new CollectionFence();
        var kept = new List<byte[]>();

        for (var step = 0; step < 10; step++)
        {
            fence.AtStepBoundary();
            var collections = GC.CollectionCount(0);
            // A step's worth of small managed objects (tensor wrappers, scalars), 4 MB.
            for (var i = 0; i < 1000; i++)
            {
                kept.Add(new byte[4096]);
            }
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            Assert.Equal(collections, GC.CollectionCount(0));
        }

        Assert.Equal((10, 0), (fence.Renewals, fence.Breaches));
    }

    [Fact]
    public void WhatAStepLeftToFinalizersIsFinalizedAtTheNextBoundary()
    {
        using var fence = new CollectionFence();
        fence.AtStepBoundary();
        var finalized = new StrongBox<int>();

        LeaveToFinalizers(finalized, 100);
        Assert.Equal(0, finalized.Value);
        fence.AtStepBoundary();

        Assert.Equal(100, finalized.Value);
    }

    [Fact]
    public void GarbageThatOutlivedABoundaryIsFinalizedWithinAFullCollectionInterval()
    {
        using var fence = new CollectionFence();
        fence.AtStepBoundary();
        var finalized = new StrongBox<int>();
        var survivors = KeepAlive(finalized, 50);

        // Alive at two boundaries, so promoted past generation 0, then dropped.
        fence.AtStepBoundary();
        fence.AtStepBoundary();
        Assert.True(GC.GetGeneration(survivors[0]) > 0);
        survivors.Clear();
        var boundaries = 0;
        while (finalized.Value < 50 && boundaries < CollectionFence.FullCollectionInterval)
        {
            fence.AtStepBoundary();
            boundaries++;
        }

        Assert.Equal(50, finalized.Value);
        Assert.True(boundaries > 1, $"finalized after {boundaries} boundaries: generation-0 collections should not reach them");
    }

    [Fact]
    public void TheHeapIsTrimmedOncePerTrimInterval()
    {
        using var fence = new CollectionFence();

        for (var boundary = 0; boundary < 2 * CollectionFence.TrimInterval; boundary++)
        {
            fence.AtStepBoundary();
        }

        Assert.Equal(OperatingSystem.IsLinux() ? 2 : 0, fence.Trims);
    }

    [Fact]
    public void SettlingTrimsAtOnceInsideANewRegionAndLeavesTheCadenceAlone()
    {
        using var fence = new CollectionFence();
        fence.AtStepBoundary();

        fence.Settle();

        Assert.Equal(OperatingSystem.IsLinux() ? 1 : 0, fence.Trims);
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        Assert.Equal(0, fence.Breaches);
        // The regular boundaries still trim at every TrimInterval-th one: 1 before the settle, then up to the interval.
        for (var boundary = 1; boundary < CollectionFence.TrimInterval; boundary++)
        {
            fence.AtStepBoundary();
        }
        Assert.Equal(OperatingSystem.IsLinux() ? 2 : 0, fence.Trims);
    }

    [Fact]
    public void ACollectionInsideAStepIsCountedAsABreach()
    {
        using (var fence = new CollectionFence())
        {
            fence.AtStepBoundary();

            // Anything that collects inside a step (here an explicit collection) ends the region early.
            GC.Collect();
            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            fence.AtStepBoundary();

            Assert.Equal((2, 1), (fence.Renewals, fence.Breaches));
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void BesideAnotherLiveFenceTheOwnerDoesNotCollectAtEveryBoundary()
    {
        // Two trainers in one process (parallel tests): a collection at one's boundary would land inside the other's
        // step, where a finalizer may free a scalar libtorch is reading.
        using var owner = new CollectionFence();
        using (var other = new CollectionFence())
        {
            owner.AtStepBoundary();
            var collections = GC.CollectionCount(0);
            for (var step = 0; step < 5; step++)
            {
                other.AtStepBoundary();
                owner.AtStepBoundary();
            }

            Assert.Equal(collections, GC.CollectionCount(0));
            Assert.Equal((1, 0, 0), (owner.Renewals, owner.Breaches, other.Renewals));
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);

            // Once half the budget is used, the owner renews the region at its next boundary.
            var kept = new List<byte[]>();
            while (kept.Count * 65536L < CollectionFence.Budget / 2 + (1 << 20))
            {
                kept.Add(new byte[65536]);
            }
            owner.AtStepBoundary();
            Assert.Equal((2, 0), (owner.Renewals, owner.Breaches));
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }

        // Alone again, the owner collects at its next boundary.
        var before = GC.CollectionCount(0);
        owner.AtStepBoundary();
        Assert.True(GC.CollectionCount(0) > before);
        Assert.Equal(3, owner.Renewals);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<object> KeepAlive(StrongBox<int> finalized, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => (object)new Finalizable(finalized))];

    // Not inlined, so no reference to the objects survives in this frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LeaveToFinalizers(StrongBox<int> finalized, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _ = new Finalizable(finalized);
        }
    }

    /// <summary>Stands for a tensor wrapper nobody disposed: its finalizer is what frees the native memory.</summary>
    private sealed class Finalizable(StrongBox<int> finalized)
    {
        ~Finalizable() => Interlocked.Increment(ref finalized.Value);
    }
}
