using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Luma.Unified.Runtime.Native;

/// <summary>
/// Makes TorchSharp's native shim loadable before TorchSharp first touches it.
/// <para>
/// <c>libLibTorchSharp.so</c> 0.107 is linked against a libstdc++ that defines <c>GLIBCXX_3.4.32</c> and records
/// that version for one symbol it never calls (<c>std::ios_base_library_init</c>). Debian 12 and Ubuntu 22.04
/// ship libstdc++ up to 3.4.30, so the dynamic loader refuses the whole library. We ask the loader itself
/// (through .NET's NativeLibrary.Load) what is missing, mark exactly that requirement weak in the copy this program loads — never in
/// the NuGet cache or the system — and try again. On a system that has the version nothing is changed.
/// </para>
/// </summary>
public static partial class TorchNativeLoader
{
    private const string ShimFileName = "libLibTorchSharp.so";
    private const int MaxRelaxedVersions = 8;

    private static readonly Lock s_gate = new();
    private static string? s_loadedShim;

    /// <summary>Loads the shim (relaxing unmet libstdc++ version requirements if needed); returns its path, or null off Linux.</summary>
    public static string? EnsureLoaded()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        lock (s_gate)
        {
            return s_loadedShim ??= LoadShim(FindShim());
        }
    }

    /// <summary>The shim .NET will bind TorchSharp's DllImports to: the app-local copy of its deps.json asset.</summary>
    public static string FindShim()
    {
        var baseDirectory = AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(baseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", ShimFileName),
            Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", ShimFileName),
            Path.Combine(baseDirectory, ShimFileName),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new NativeRuntimeException(
                $"TorchSharp's native shim {ShimFileName} is not next to the application (looked in: {string.Join(", ", candidates.Distinct())}). " +
                "Rebuild with the default -p:TorchBackend=cpu, or -p:TorchBackend=cuda with TorchSharp-cuda-linux available.");
    }

    private static string LoadShim(string shim)
    {
        var relaxed = new List<string>();
        while (true)
        {
            string error;
            try
            {
                // .NET's DllNotFoundException carries the dynamic loader's own message (dlerror).
                NativeLibrary.Load(shim);
                return shim;
            }
            catch (DllNotFoundException e)
            {
                error = e.Message;
            }
            var missing = MissingVersion().Match(error);
            if (!missing.Success || relaxed.Count >= MaxRelaxedVersions)
            {
                throw new NativeRuntimeException($"Cannot load libtorch through {shim}: {error}");
            }
            var version = missing.Groups["version"].Value;
            var requiredBy = missing.Groups["file"].Value;
            if (!IsInsideAppNatives(requiredBy, shim) || relaxed.Contains($"{requiredBy}:{version}"))
            {
                throw new NativeRuntimeException($"Cannot load libtorch: {error}. The library that needs {version} is not one this application ships, so it is left alone.");
            }
            Relax(requiredBy, version, error);
            relaxed.Add($"{requiredBy}:{version}");
        }
    }

    private static void Relax(string library, string version, string loaderError)
    {
        try
        {
            if (!ElfVersionRequirements.MarkWeak(library, version))
            {
                throw new NativeRuntimeException($"Cannot load libtorch: {loaderError}. {library} has no strict requirement on {version} to relax.");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NativeRuntimeException(
                $"{library} requires {version}, which this system's libstdc++ lacks; it is only used by a symbol libtorch never calls, " +
                $"so Luma marks that requirement weak in the application's own copy — but the copy cannot be rewritten ({e.Message}). " +
                "Run once as a user who can write to that folder, or install/publish the application to a writable folder.");
        }
    }

    private static bool IsInsideAppNatives(string library, string shim) =>
        Path.GetFullPath(Path.GetDirectoryName(library) ?? "") == Path.GetFullPath(Path.GetDirectoryName(shim) ?? "");

    [GeneratedRegex(@"version `(?<version>[^']+)' not found \(required by (?<file>[^)]+)\)")]
    private static partial Regex MissingVersion();
}
