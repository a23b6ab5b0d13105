using System.Runtime.InteropServices;
using Luma.Unified.Runtime.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Distributed;

/// <summary>
/// Where a tensor's elements live, for handing them to a collective engine without a copy. TorchSharp 0.107
/// has no public <c>data_ptr()</c>, so the pointer comes from its native shim's <c>THSTensor_data</c>, which
/// returns libtorch's <c>data_ptr()</c> (storage offset included) for CPU and CUDA tensors alike.
/// </summary>
internal static unsafe class TensorMemory
{
    private static readonly delegate* unmanaged<IntPtr, IntPtr> s_data = (delegate* unmanaged<IntPtr, IntPtr>)NativeLibrary.GetExport(
        NativeLibrary.Load(TorchNativeLoader.EnsureLoaded() ?? throw new PlatformNotSupportedException("collectives need Linux")), "THSTensor_data");

    /// <summary>The address of <paramref name="tensor"/>'s first element.</summary>
    public static IntPtr Pointer(Tensor tensor)
    {
        RequireContiguous(tensor);
        return s_data(tensor.Handle);
    }

    public static void RequireContiguous(Tensor tensor)
    {
        if (!tensor.is_contiguous())
        {
            throw new ArgumentException($"collectives work on contiguous tensors; got a strided {tensor.dtype} tensor of shape [{string.Join(", ", tensor.shape)}] (call .contiguous() first).");
        }
    }

    /// <summary>Checks that <paramref name="large"/> holds <paramref name="factor"/> × the elements of <paramref name="small"/>, of the same type and device.</summary>
    public static void RequireSameElements(Tensor small, Tensor large, int factor)
    {
        RequireContiguous(small);
        RequireContiguous(large);
        if (small.dtype != large.dtype || small.device.ToString() != large.device.ToString() || large.numel() != small.numel() * factor)
        {
            throw new ArgumentException(
                $"collective buffers do not match: {small.numel()} {small.dtype} elements on {small.device} against {large.numel()} {large.dtype} on {large.device} (expected {factor} × as many, same type and device).");
        }
    }

    /// <summary>A 128-byte blob as a CPU byte tensor (for exchanging engine handshakes over another engine).</summary>
    public static Tensor Bytes(ReadOnlySpan<byte> bytes)
    {
        var tensor = zeros(bytes.Length, ScalarType.Byte);
        bytes.CopyTo(tensor.bytes);
        return tensor;
    }
}
