using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Luma.Unified.Runtime.Native;

/// <summary>
/// Where a tensor's elements live, for code that works on them in place (collective engines, the fused optimizer
/// step). TorchSharp 0.107 has no public <c>data_ptr()</c>, so the address comes from its native shim's
/// <c>THSTensor_data</c>, which returns libtorch's <c>data_ptr()</c> (storage offset included) for CPU and CUDA
/// tensors alike.
/// </summary>
public static unsafe class TensorAddress
{
    private static readonly delegate* unmanaged<IntPtr, IntPtr> s_data = (delegate* unmanaged<IntPtr, IntPtr>)NativeLibrary.GetExport(
        NativeLibrary.Load(TorchNativeLoader.EnsureLoaded() ?? throw new PlatformNotSupportedException("tensor addresses are read through TorchSharp's Linux shim")), "THSTensor_data");

    /// <summary>The address of the first element of <paramref name="tensor"/>, which the caller has checked is contiguous.</summary>
    public static IntPtr Of(Tensor tensor) => s_data(tensor.Handle);
}
