using System.Runtime.InteropServices;
using TorchSharp;

namespace Luma.Unified.Runtime;

/// <summary>What <c>luma env</c> prints: versions, device, threads and the CPU features that decide speed.</summary>
public sealed record EnvironmentReport(
    string TorchSharpVersion,
    string LibTorchVersion,
    string TorchBackend,
    string DotNetVersion,
    string OperatingSystem,
    string CpuModel,
    int LogicalCores,
    int TorchThreads,
    bool CudaAvailable,
    int CudaDevices,
    IReadOnlyList<string> CpuFeatures,
    string? NativeShim)
{
    // The flags that decide which GEMM kernels libtorch can use (bf16 needs AVX512_BF16 or AMX to be fast).
    private static readonly string[] s_interestingFlags =
        ["avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8"];

    /// <summary>Loads libtorch and collects the report.</summary>
    public static EnvironmentReport Collect()
    {
        var shim = Native.TorchNativeLoader.EnsureLoaded();
        TorchRuntime.EnsureLoaded();
        var (model, flags) = ReadCpuInfo();
        var cuda = torch.cuda.is_available();
        return new EnvironmentReport(
            TorchSharpVersion: typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown",
            LibTorchVersion: torch.__version__,
            TorchBackend: cuda ? "cuda" : "cpu",
            DotNetVersion: RuntimeInformation.FrameworkDescription,
            OperatingSystem: RuntimeInformation.OSDescription,
            CpuModel: model,
            LogicalCores: Environment.ProcessorCount,
            TorchThreads: torch.get_num_threads(),
            CudaAvailable: cuda,
            CudaDevices: cuda ? torch.cuda.device_count() : 0,
            CpuFeatures: [.. s_interestingFlags.Where(flags.Contains)],
            NativeShim: shim);
    }

    private static (string Model, HashSet<string> Flags) ReadCpuInfo()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
        {
            return (RuntimeInformation.ProcessArchitecture.ToString(), []);
        }
        var lines = File.ReadLines(cpuInfo).Take(64).ToList();
        string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "";
        return (Field("model name"), [.. Field("flags").Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
    }
}
