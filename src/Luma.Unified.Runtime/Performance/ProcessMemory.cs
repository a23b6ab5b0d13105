using System.Diagnostics;
using Luma.Unified.Runtime.Native;

namespace Luma.Unified.Runtime.Performance;

/// <summary>Resident memory of this process: now, and the peak since start or since <see cref="ResetPeak"/>.</summary>
public static class ProcessMemory
{
    private const string Status = "/proc/self/status";

    /// <summary>Resident set size in bytes.</summary>
    public static long Resident() => Field("VmRSS:") ?? Environment.WorkingSet;

    /// <summary>Peak resident set size in bytes (Linux: VmHWM).</summary>
    public static long PeakResident()
    {
        using var process = Process.GetCurrentProcess();
        return Field("VmHWM:") ?? process.PeakWorkingSet64;
    }

    /// <summary>
    /// Starts a new peak at the current live size, so runs in one process each get their own peak: collects
    /// garbage (tensors held only by finalizable handles), hands the allocator's free memory back to the kernel
    /// (the start-up settings keep it, see <see cref="MallocTuning"/>), then restarts the kernel's high-water mark
    /// (Linux: writes 5 to /proc/self/clear_refs). Returns false where the kernel does not allow the last step.
    /// </summary>
    public static bool ResetPeak()
    {
        CollectionGate.CollectAll();
        MallocTuning.ReleaseFreeMemory();
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long? Field(string name)
    {
        if (!File.Exists(Status))
        {
            return null;
        }
        var line = File.ReadLines(Status).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        // "VmRSS:	  123456 kB"
        return line is null ? null : long.Parse(line[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
