using Luma.Unified.Runtime.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Distributed;

/// <summary>Tensors handed to a collective engine without a copy: their addresses (<see cref="TensorAddress"/>) and the checks before.</summary>
internal static class TensorMemory
{
    /// <summary>The address of <paramref name="tensor"/>'s first element.</summary>
    public static IntPtr Pointer(Tensor tensor)
    {
        RequireContiguous(tensor);
        return TensorAddress.Of(tensor);
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
