using System.Diagnostics;
using Luma.Unified.Runtime.Native;
using Luma.Unified.Tests.Support;
using Luma.Unified.Tests.Training;
using Luma.Unified.Training.Stepping;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Runtime;

/// <summary>The gate and the no-GC regions are process-wide, so these run where no other test trains at the same time.</summary>
[Collection(ExclusiveRandomStream.Name)]
public sealed class CollectionGateTests : TorchTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void ACollectionWaitsUntilEveryPassIsReleased()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var worker = Started(() =>
        {
            using var pass = CollectionGate.Enter();
            entered.Set();
            release.Wait();
        });
        Assert.True(entered.Wait(Patience));

        var collected = false;
        var collection = Started(() => CollectionGate.Collect(() => collected = true));

        Assert.False(collection.Join(TimeSpan.FromMilliseconds(300)));
        Assert.False(collected);
        release.Set();
        Assert.True(collection.Join(Patience));
        Assert.True(collected);
        Assert.True(worker.Join(Patience));
    }

    [Fact]
    public void NoPassIsGrantedWhileACollectionRuns()
    {
        using var collecting = new ManualResetEventSlim();
        using var finish = new ManualResetEventSlim();
        var finished = false;
        var collection = Started(() => finished = CollectionGate.Collect(() =>
        {
            collecting.Set();
            return finish.Wait(Patience);
        }));
        Assert.True(collecting.Wait(Patience));

        var worker = Started(() =>
        {
            using var pass = CollectionGate.Enter();
        });

        Assert.False(worker.Join(TimeSpan.FromMilliseconds(300)));
        finish.Set();
        Assert.True(worker.Join(Patience));
        Assert.True(collection.Join(Patience));
        Assert.True(finished);
    }

    [Fact]
    public void WorkersAddingTensorsBesideStepBoundariesNeverReadAFreedScalar()
    {
        // Tensor.add(other) hands libtorch a temporary alpha = 1 scalar that nothing keeps alive. Without the passes
        // this test failed with Scalar::toFloat within about a second, three runs out of three (measured).
        using var fence = new CollectionFence();
        var stop = false;
        long additions = 0;
        Exception? failure = null;
        var workers = Enumerable.Range(0, 2).Select(_ => Started(() =>
        {
            try
            {
                using var a = randn(1000);
                using var b = randn(1000);
                while (!Volatile.Read(ref stop))
                {
                    using var pass = CollectionGate.Enter();
                    using var scope = NewDisposeScope();
                    a.add(b);
                    Interlocked.Increment(ref additions);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        })).ToArray();

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(3) && failure is null)
        {
            fence.AtStepBoundary();
            Thread.Sleep(1);
        }
        Volatile.Write(ref stop, true);
        Assert.All(workers, w => Assert.True(w.Join(Patience)));

        Assert.Null(failure);
        Assert.True(fence.Renewals > 20, $"{fence.Renewals} boundaries");
        Assert.True(Interlocked.Read(ref additions) > 10_000, $"{additions} additions");
    }

    private static Thread Started(Action body)
    {
        var thread = new Thread(() => body()) { IsBackground = true };
        thread.Start();
        return thread;
    }
}
