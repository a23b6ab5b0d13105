using System.Runtime;
using Luma.Unified.Training.Stepping;

namespace Luma.Unified.Tests.Training;

/// <summary>A no-GC region is process-wide, so these run where no other test trains at the same time.</summary>
[Collection(ExclusiveRandomStream.Name)]
public sealed class CollectionFenceTests
{
    [Fact]
    public void StepsBetweenBoundariesAllocateWithoutACollection()
    {
        using var fence = new CollectionFence();
        fence.AtStepBoundary();
        var collections = GC.CollectionCount(0);
        var kept = new List<byte[]>();

        for (var step = 0; step < 10; step++)
        {
            // A step's worth of small managed objects (tensor wrappers, scalars), 4 MB.
            for (var i = 0; i < 1000; i++)
            {
                kept.Add(new byte[4096]);
            }
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            fence.AtStepBoundary();
        }

        Assert.Equal(collections, GC.CollectionCount(0));
        Assert.Equal((1, 0), (fence.Renewals, fence.Breaches));
    }

    [Fact]
    public void HalfTheBudgetUsedRenewsTheRegionAndACollectionInsideAStepIsCounted()
    {
        using (var fence = new CollectionFence())
        {
            fence.AtStepBoundary();
            var kept = new List<byte[]>();
            while (kept.Count * 65536L < CollectionFence.Budget / 2 + (1 << 20))
            {
                kept.Add(new byte[65536]);
            }
            fence.AtStepBoundary();
            Assert.Equal((2, 0), (fence.Renewals, fence.Breaches));

            // Anything that collects inside a step (here an explicit collection) ends the region early.
            GC.Collect();
            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            fence.AtStepBoundary();

            Assert.Equal((3, 1), (fence.Renewals, fence.Breaches));
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
