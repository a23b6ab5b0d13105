using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Runtime.Performance;

/// <summary>
/// Memory in use on the GPU a run computes on, read through NVML (<c>libnvidia-ml.so.1</c>, which every NVIDIA driver
/// installs): TorchSharp 0.107 exposes none of libtorch's CUDA allocator statistics. NVML counts the whole device, so
/// another process on the same GPU counts too. libtorch's caching allocator keeps what it has reserved, so a reading
/// after a step is the run's peak reservation so far.
/// </summary>
public sealed partial class GpuMemory : IDisposable
{
    private const string Nvml = "libnvidia-ml.so.1";
    private const int Success = 0;
    private readonly IntPtr _device;

    private GpuMemory(IntPtr device) => _device = device;

    /// <summary>A reader for <paramref name="device"/>; null on CPU, without NVML, or where the GPU cannot be identified.</summary>
    public static GpuMemory? Open(Device device)
    {
        if (device.type != DeviceType.CUDA || !OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(Nvml, out _))
        {
            return null;
        }
        try
        {
            if (nvmlInit_v2() != Success)
            {
                return null;
            }
            if (Handle(Math.Max(0, device.index)) is { } handle)
            {
                return new GpuMemory(handle);
            }
            nvmlShutdown();
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Bytes in use on the device now.</summary>
    public long UsedBytes() => nvmlDeviceGetMemoryInfo(_device, out var memory) == Success ? (long)memory.Used : 0;

    public void Dispose() => nvmlShutdown();

    // CUDA numbers the GPUs that CUDA_VISIBLE_DEVICES lists (by index or by UUID); NVML numbers every GPU.
    private static IntPtr? Handle(int cudaOrdinal)
    {
        var visible = Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES");
        if (string.IsNullOrWhiteSpace(visible))
        {
            return nvmlDeviceGetHandleByIndex_v2((uint)cudaOrdinal, out var byIndex) == Success ? byIndex : null;
        }
        var entries = visible.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (cudaOrdinal >= entries.Length)
        {
            return null;
        }
        var entry = entries[cudaOrdinal];
        if (uint.TryParse(entry, out var index))
        {
            return nvmlDeviceGetHandleByIndex_v2(index, out var listed) == Success ? listed : null;
        }
        return nvmlDeviceGetHandleByUUID(entry, out var byUuid) == Success ? byUuid : null;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MemoryInfo
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    [LibraryImport(Nvml)]
    private static partial int nvmlInit_v2();

    [LibraryImport(Nvml)]
    private static partial int nvmlShutdown();

    [LibraryImport(Nvml)]
    private static partial int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr device);

    [LibraryImport(Nvml, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int nvmlDeviceGetHandleByUUID(string uuid, out IntPtr device);

    [LibraryImport(Nvml)]
    private static partial int nvmlDeviceGetMemoryInfo(IntPtr device, out MemoryInfo memory);
}
