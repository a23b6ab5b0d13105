using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Luma.Unified.Distributed.Nccl;

/// <summary>
/// NCCL 2's C API (<c>libnccl.so.2</c>), bound at run time so that CPU machines, which have no NCCL, still load
/// this assembly: only a CUDA run asks for it, and its absence is an error that says what to install.
/// </summary>
internal static unsafe class NcclLibrary
{
    public const string FileName = "libnccl.so.2";

    /// <summary>ncclSum in nccl.h.</summary>
    public const int Sum = 0;

    private static readonly Lazy<IntPtr> s_library = new(() => Load(FileName));

    /// <summary>An opaque 128-byte rendezvous token made by rank 0 and handed to every rank.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct UniqueId
    {
        public fixed byte Bytes[128];
    }

    public static int GetUniqueId(UniqueId* id) => ((delegate* unmanaged<UniqueId*, int>)Export("ncclGetUniqueId"))(id);

    public static int CommInitRank(IntPtr* comm, int ranks, UniqueId id, int rank) =>
        ((delegate* unmanaged<IntPtr*, int, UniqueId, int, int>)Export("ncclCommInitRank"))(comm, ranks, id, rank);

    public static int AllReduce(IntPtr send, IntPtr receive, nuint count, int type, int op, IntPtr comm, IntPtr stream) =>
        ((delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int>)Export("ncclAllReduce"))(send, receive, count, type, op, comm, stream);

    public static int Broadcast(IntPtr send, IntPtr receive, nuint count, int type, int root, IntPtr comm, IntPtr stream) =>
        ((delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int>)Export("ncclBroadcast"))(send, receive, count, type, root, comm, stream);

    public static int AllGather(IntPtr send, IntPtr receive, nuint sendCount, int type, IntPtr comm, IntPtr stream) =>
        ((delegate* unmanaged<IntPtr, IntPtr, nuint, int, IntPtr, IntPtr, int>)Export("ncclAllGather"))(send, receive, sendCount, type, comm, stream);

    public static int ReduceScatter(IntPtr send, IntPtr receive, nuint receiveCount, int type, int op, IntPtr comm, IntPtr stream) =>
        ((delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int>)Export("ncclReduceScatter"))(send, receive, receiveCount, type, op, comm, stream);

    public static int CommDestroy(IntPtr comm) => ((delegate* unmanaged<IntPtr, int>)Export("ncclCommDestroy"))(comm);

    public static int CommAbort(IntPtr comm) => ((delegate* unmanaged<IntPtr, int>)Export("ncclCommAbort"))(comm);

    public static int Version()
    {
        int version;
        Check(((delegate* unmanaged<int*, int>)Export("ncclGetVersion"))(&version), "ncclGetVersion");
        return version;
    }

    /// <summary>ncclDataType_t of <paramref name="type"/>.</summary>
    public static int Datatype(ScalarType type) => type switch
    {
        ScalarType.Byte => 1,
        ScalarType.Int32 => 2,
        ScalarType.Int64 => 4,
        ScalarType.Float16 => 6,
        ScalarType.Float32 => 7,
        ScalarType.Float64 => 8,
        ScalarType.BFloat16 => 9,
        _ => throw new ArgumentException($"NCCL has no datatype for {type} tensors."),
    };

    public static void Check(int result, string function)
    {
        if (result != 0)
        {
            var message = Marshal.PtrToStringUTF8(((delegate* unmanaged<int, IntPtr>)Export("ncclGetErrorString"))(result));
            throw new InvalidOperationException($"{function} failed: NCCL error {result} ({message}).");
        }
    }

    private static IntPtr Export(string name) => NativeLibrary.GetExport(s_library.Value, name);

    /// <summary>Loads <paramref name="fileName"/>, or throws saying what to install.</summary>
    internal static IntPtr Load(string fileName) => NativeLibrary.TryLoad(fileName, out var handle)
        ? handle
        : throw new DllNotFoundException(
            $"{fileName} (NCCL 2) could not be loaded, and CUDA tensors need it for data-parallel training. Install NCCL (e.g. `apt-get install libnccl2` from NVIDIA's CUDA repository) or put its directory on LD_LIBRARY_PATH; or train on CPU with run.device: cpu.");
}
