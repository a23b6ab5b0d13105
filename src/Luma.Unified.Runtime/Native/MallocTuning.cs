using System.Runtime.InteropServices;

namespace Luma.Unified.Runtime.Native;

/// <summary>
/// Stops glibc malloc from returning the large blocks of freed tensors to the kernel each step. By default a
/// block over the (dynamic) mmap threshold is mmapped and unmapped again when freed, and freed heap tops are
/// trimmed, so every step pays page faults and zeroing for its activations again: a measured 200-step run went
/// from 26.1 s (12.3 s of it system time) to 15.2 s with the thresholds raised. Set once at process start;
/// <c>LUMA_MALLOC=default</c> leaves glibc's own settings.
/// </summary>
public static class MallocTuning
{
    /// <summary>The environment variable that opts out (value <c>default</c>).</summary>
    public const string OptOutVariable = "LUMA_MALLOC";

    /// <summary>Freed memory kept before trimming the heap (and the mmap threshold asked for).</summary>
    public const int Threshold = 1 << 30;

    // glibc's mallopt parameters (malloc.h).
    private const int TrimThreshold = -1;
    private const int MmapThreshold = -3;
    private const int MmapMax = -4;

    private static readonly Lock s_gate = new();
    private static string? s_description;

    /// <summary>What the allocator is set to, for reports (e.g. <c>glibc: no mmap, trim threshold 1 GiB</c>).</summary>
    public static string Description
    {
        get
        {
            lock (s_gate)
            {
                return s_description ?? "allocator defaults (not configured in this process)";
            }
        }
    }

    /// <summary>Applies the settings once per process (later calls only return the description).</summary>
    public static string Configure()
    {
        lock (s_gate)
        {
            return s_description ??= Apply();
        }
    }

    private static string Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "system default (not glibc)";
        }
        if (string.Equals(Environment.GetEnvironmentVariable(OptOutVariable), "default", StringComparison.OrdinalIgnoreCase))
        {
            return $"glibc defaults ({OptOutVariable}=default)";
        }
        try
        {
            // glibc refuses an mmap threshold above 32 MiB on 64-bit, and activations are larger than that, so
            // large blocks are kept off mmap altogether; any mallopt setting also turns the dynamic threshold off.
            var trim = mallopt(TrimThreshold, Threshold) == 1;
            var noMmap = mallopt(MmapMax, 0) == 1;
            var mmap = mallopt(MmapThreshold, Threshold) == 1;
            return $"glibc mallopt: trim threshold {(trim ? "1 GiB" : "refused")}, mmap {(noMmap ? "off" : "refused")}{(mmap ? ", mmap threshold 1 GiB" : "")}";
        }
        catch (EntryPointNotFoundException)
        {
            return "system default (no mallopt: not glibc)";
        }
    }

    /// <summary>
    /// Returns the free memory the settings keep back to the kernel (glibc <c>malloc_trim</c>), so a measurement of
    /// resident memory that starts now sees only live memory; false where there is no glibc.
    /// </summary>
    public static bool ReleaseFreeMemory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            malloc_trim(0);
            return true;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
