namespace Luma.Unified.Runtime.Native;

/// <summary>
/// Keeps the collections this project makes on purpose away from libtorch calls on other threads. Why: TorchSharp
/// 0.107 hands every numeric operand to libtorch as a temporary native scalar that it neither disposes nor keeps
/// alive across the call (<c>add</c> and <c>sub</c> make one for their implicit alpha = 1). A collection during the
/// call lets the finalizer free the scalar while libtorch reads it, and the call fails with <c>Scalar::toFloat</c>.
/// Threads that run libtorch beside a training loop (the loader's decode workers, which encode raw media through the
/// codecs) hold a <see cref="Pass"/> while they do; a step boundary's collection runs through <see cref="Collect"/>,
/// which waits for the passes out and lets no new one in until its finalizers have run. Two worker threads adding
/// tensors while another thread collected failed within 2 s without it (measured; <c>CollectionGateTests</c>).
/// </summary>
public static class CollectionGate
{
    // Writer-preferring: a waiting collection stops new passes, so busy workers cannot starve it.
    private static readonly ReaderWriterLockSlim s_gate = new(LockRecursionPolicy.SupportsRecursion);

    /// <summary>Held while this thread runs libtorch beside another thread that may collect.</summary>
    public static Pass Enter()
    {
        s_gate.EnterReadLock();
        return new Pass();
    }

    /// <summary>
    /// Runs <paramref name="collection"/> (a collection, waiting for its finalizers, starting a no-GC region) while no
    /// thread holds a pass. Must not be called on a thread that holds one.
    /// </summary>
    public static T Collect<T>(Func<T> collection)
    {
        s_gate.EnterWriteLock();
        try
        {
            return collection();
        }
        finally
        {
            s_gate.ExitWriteLock();
        }
    }

    /// <summary>Collects every generation and waits for the finalizers it queued, through the gate.</summary>
    public static void CollectAll() => Collect(() =>
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return true;
    });

    /// <summary>A thread's permission to call libtorch; dispose it on the thread that entered.</summary>
    public readonly struct Pass : IDisposable
    {
        public void Dispose() => s_gate.ExitReadLock();
    }
}
