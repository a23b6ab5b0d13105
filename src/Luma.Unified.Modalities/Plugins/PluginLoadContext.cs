using System.Reflection;
using System.Runtime.Loader;

namespace Luma.Unified.Modalities.Plugins;

/// <summary>
/// Loads a plugin and its private dependencies in isolation (a plugin may bring its own version of a library),
/// while the seams it implements — <c>Luma.Unified.Abstractions</c> — come from the host, so that its types are
/// the host's types.
/// </summary>
internal sealed class PluginLoadContext(string pluginPath) : AssemblyLoadContext($"luma-plugin:{Path.GetFileName(pluginPath)}")
{
    private static readonly string s_sharedAssembly = typeof(Abstractions.IModality).Assembly.GetName().Name!;
    private readonly AssemblyDependencyResolver _resolver = new(pluginPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name == s_sharedAssembly)
        {
            return null; // the default context's copy
        }
        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
