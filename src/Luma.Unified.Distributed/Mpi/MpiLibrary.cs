using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Luma.Unified.Distributed.Mpi;

/// <summary>
/// The dozen Open MPI 4.x entry points the collectives use (<c>libmpi.so.40</c>, Debian's <c>libopenmpi3</c>).
/// Open MPI's predefined handles (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>) are the addresses of
/// global objects (<c>ompi_mpi_comm_world</c>, ...), looked up as exports. The library is opened with
/// RTLD_GLOBAL first: Open MPI's plugins resolve its symbols from the global namespace and fail to load otherwise.
/// </summary>
internal static partial class MpiLibrary
{
    public const string FileName = "libmpi.so.40";
    public const int ThreadFunneled = 1;
    private const int RtldNow = 2;
    private const int RtldGlobal = 0x100;

    /// <summary>MPI_IN_PLACE in Open MPI's mpi.h.</summary>
    public static readonly IntPtr InPlace = 1;

    private static readonly Lazy<IntPtr> s_library = new(Open);

    public static IntPtr World => Export("ompi_mpi_comm_world");

    public static IntPtr Sum => Export("ompi_mpi_op_sum");

    /// <summary>The MPI datatype of <paramref name="type"/>; MPI has no bfloat16 or half, so those are refused.</summary>
    public static IntPtr Datatype(ScalarType type) => type switch
    {
        ScalarType.Float32 => Export("ompi_mpi_float"),
        ScalarType.Float64 => Export("ompi_mpi_double"),
        ScalarType.Int32 => Export("ompi_mpi_int"),
        ScalarType.Int64 => Export("ompi_mpi_long_long_int"),
        ScalarType.Byte => Export("ompi_mpi_unsigned_char"),
        _ => throw new ArgumentException($"Open MPI has no datatype for {type} tensors; reduce them in float32 (gradients are fp32 here, also under bf16-mixed)."),
    };

    /// <summary>Loads libmpi (once); throws <see cref="DllNotFoundException"/> with the install hint when it is missing.</summary>
    public static void EnsureLoaded() => _ = s_library.Value;

    private static IntPtr Export(string name) => NativeLibrary.GetExport(s_library.Value, name);

    private static IntPtr Open()
    {
        if (dlopen(FileName, RtldNow | RtldGlobal) == IntPtr.Zero)
        {
            throw new DllNotFoundException(
                $"{FileName} (Open MPI 4) could not be loaded: {Marshal.PtrToStringUTF8(dlerror())}. Install it with `apt-get install openmpi-bin libopenmpi-dev` (scripts/setup does).");
        }
        return NativeLibrary.Load(FileName);
    }

    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr dlopen(string file, int mode);

    [LibraryImport("libc.so.6")]
    private static partial IntPtr dlerror();

    [LibraryImport(FileName)]
    public static partial int MPI_Initialized(out int flag);

    [LibraryImport(FileName)]
    public static partial int MPI_Init_thread(IntPtr argc, IntPtr argv, int required, out int provided);

    [LibraryImport(FileName)]
    public static partial int MPI_Finalize();

    [LibraryImport(FileName)]
    public static partial int MPI_Abort(IntPtr comm, int errorCode);

    [LibraryImport(FileName)]
    public static partial int MPI_Comm_rank(IntPtr comm, out int rank);

    [LibraryImport(FileName)]
    public static partial int MPI_Comm_size(IntPtr comm, out int size);

    [LibraryImport(FileName)]
    public static unsafe partial int MPI_Get_library_version(byte* version, out int length);

    [LibraryImport(FileName)]
    public static partial int MPI_Allreduce(IntPtr send, IntPtr receive, int count, IntPtr datatype, IntPtr op, IntPtr comm);

    [LibraryImport(FileName)]
    public static partial int MPI_Iallreduce(IntPtr send, IntPtr receive, int count, IntPtr datatype, IntPtr op, IntPtr comm, out IntPtr request);

    [LibraryImport(FileName)]
    public static partial int MPI_Ibcast(IntPtr buffer, int count, IntPtr datatype, int root, IntPtr comm, out IntPtr request);

    [LibraryImport(FileName)]
    public static partial int MPI_Iallgather(IntPtr send, int sendCount, IntPtr sendType, IntPtr receive, int receiveCount, IntPtr receiveType, IntPtr comm, out IntPtr request);

    [LibraryImport(FileName)]
    public static partial int MPI_Ireduce_scatter_block(IntPtr send, IntPtr receive, int receiveCount, IntPtr datatype, IntPtr op, IntPtr comm, out IntPtr request);

    [LibraryImport(FileName)]
    public static partial int MPI_Ibarrier(IntPtr comm, out IntPtr request);

    [LibraryImport(FileName)]
    public static partial int MPI_Test(ref IntPtr request, out int flag, IntPtr status);
}
