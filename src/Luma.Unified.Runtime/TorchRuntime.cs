using Luma.Unified.Config.Options;
using Luma.Unified.Runtime.Native;
using Luma.Unified.Runtime.Placement;
using TorchSharp;

namespace Luma.Unified.Runtime;

/// <summary>The device and intra-op thread count a process computes with.</summary>
public sealed record TorchSession(torch.Device Device, int Threads);

/// <summary>Starts libtorch once per process: native load, device choice, thread count.</summary>
public static class TorchRuntime
{
    private static readonly Lock s_gate = new();
    private static int s_threadsSet;
    private static readonly Lazy<bool> s_nnpackOff = new(NnpackSwitch.DisableWhereUnsupported);

    /// <summary>Loads libtorch (see <see cref="TorchNativeLoader"/>). Safe to call many times.</summary>
    public static void EnsureLoaded()
    {
        TorchNativeLoader.EnsureLoaded();
        // First touch of TorchSharp runs its own loader, which now finds the shim already resident.
        torch.InitializeDeviceType(DeviceType.CPU);
        _ = s_nnpackOff.Value;
    }

    /// <summary>
    /// Loads libtorch, resolves the device and sets intra-op threads. <paramref name="threads"/> = 0 means
    /// the cores of this machine divided among the ranks on this node. Under a launcher, CUDA means the GPU of
    /// this process's local rank.
    /// </summary>
    public static TorchSession Start(DeviceRequest request, int threads)
    {
        EnsureLoaded();
        var device = ResolveDevice(request);
        var wanted = threads > 0 ? threads : DefaultThreads();
        lock (s_gate)
        {
            // set_num_threads may be called again; inter-op threads are left alone because a second
            // set_num_interop_threads aborts the process.
            if (s_threadsSet != wanted)
            {
                torch.set_num_threads(wanted);
                s_threadsSet = wanted;
            }
        }
        return new TorchSession(device, wanted);
    }

    /// <summary>Cores per local rank: the machine's cores shared evenly by the processes of this node.</summary>
    public static int DefaultThreads() => Math.Max(1, Environment.ProcessorCount / RankPlacement.Detect().LocalWorldSize);

    private static torch.Device ResolveDevice(DeviceRequest request)
    {
        var cuda = torch.cuda.is_available();
        return request switch
        {
            DeviceRequest.Cpu => torch.CPU,
            DeviceRequest.Cuda when cuda => CudaOfThisRank(),
            DeviceRequest.Cuda => throw new NativeRuntimeException(
                "run.device is 'cuda' but no CUDA device is usable: this build uses the CPU libtorch " +
                "(rebuild with -p:TorchBackend=cuda) or the machine has no visible GPU. Use run.device: auto or cpu."),
            _ => cuda ? CudaOfThisRank() : torch.CPU,
        };
    }

    private static torch.Device CudaOfThisRank()
    {
        var local = RankPlacement.Detect().LocalRank;
        var visible = torch.cuda.device_count();
        return local < visible
            ? new torch.Device(DeviceType.CUDA, local)
            : throw new NativeRuntimeException($"local rank {local} needs GPU {local}, but only {visible} are visible; start at most {visible} processes per node.");
    }
}
