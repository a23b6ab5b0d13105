using System.Runtime.InteropServices;

namespace Luma.Unified.Runtime.Native;

/// <summary>
/// Switches libtorch's NNPACK convolutions off where this CPU does not support them. Why: libtorch tries NNPACK for
/// every batched convolution and, where it cannot initialise, prints "Could not initialize NNPACK! Reason:
/// Unsupported hardware" each time — 73,000 lines in one demo run, burying the progress a user reads (and
/// <c>TORCH_CPP_LOG_LEVEL</c> does not silence it in libtorch 2.10). Asked once; the convolutions take the path
/// they took anyway. TorchSharp exposes neither call, so they are bound by their C++ symbol names in libtorch_cpu.
/// </summary>
public static class NnpackSwitch
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    private delegate bool Available();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GlobalContext();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetEnabled(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    /// <summary>True when NNPACK was unavailable and is now switched off; false when it works (left on) or libtorch lacks the symbols.</summary>
    public static bool DisableWhereUnsupported()
    {
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", typeof(NnpackSwitch).Assembly, null, out var library)
            || !NativeLibrary.TryGetExport(library, "_ZN2at6native17_nnpack_availableEv", out var available)
            || !NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out var context)
            || !NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledNNPACKEb", out var setEnabled))
        {
            return false;
        }
        if (Marshal.GetDelegateForFunctionPointer<Available>(available)())
        {
            return false;
        }
        Marshal.GetDelegateForFunctionPointer<SetEnabled>(setEnabled)(Marshal.GetDelegateForFunctionPointer<GlobalContext>(context)(), false);
        return true;
    }
}
