using System.Runtime.InteropServices;
using Luma.Unified.Config.Options;
using Luma.Unified.Runtime;
using Luma.Unified.Runtime.Native;
using Luma.Unified.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Runtime;

public sealed class NativeRuntimeTests : TorchTest
{
    [Fact]
    public void LibTorchComputesAMatrixProduct()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        using var product = a.mm(b);

        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());
        Assert.StartsWith("2.10", torch.__version__, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLoadedShimHasNoStrictRequirementTheSystemCannotMeet()
    {
        var shim = TorchNativeLoader.EnsureLoaded()!;
        var requirements = ElfVersionRequirements.Read(shim);

        Assert.Contains(requirements, r => r.Library == "libstdc++.so.6" && r.Version.StartsWith("GLIBCXX_", StringComparison.Ordinal));
        // Whatever libstdc++ this machine has, the copy the program loads now loads: either 3.4.32 is present
        // or its requirement was made weak. Loading again must succeed.
        Assert.True(NativeLibrary.TryLoad(shim, out _));
    }

    [Fact]
    public void StartPicksCpuWhenAskedAndHonoursTheThreadCount()
    {
        var session = TorchRuntime.Start(DeviceRequest.Cpu, threads: 1);

        Assert.Equal(DeviceType.CPU, session.Device.type);
        Assert.Equal(1, session.Threads);
        Assert.Equal(1, get_num_threads());
        TorchRuntime.Start(DeviceRequest.Cpu, threads: 0);
        Assert.Equal(TorchRuntime.DefaultThreads(), get_num_threads());
    }

    [Fact]
    public void CudaIsUsedWhenUsableAndOtherwiseAClearError()
    {
        if (cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, TorchRuntime.Start(DeviceRequest.Cuda, 0).Device.type);
            return;
        }
        var error = Assert.Throws<NativeRuntimeException>(() => TorchRuntime.Start(DeviceRequest.Cuda, 0));
        Assert.Contains("run.device", error.Message, StringComparison.Ordinal);
        Assert.Contains("-p:TorchBackend=cuda", error.Message, StringComparison.Ordinal);
        Assert.Equal(DeviceType.CPU, TorchRuntime.Start(DeviceRequest.Auto, 0).Device.type);
    }
}
