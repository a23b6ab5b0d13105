using System.Reflection;
using Luma.Unified.Abstractions;

namespace Luma.Unified.Modalities.Plugins;

/// <summary>
/// Finds the <see cref="IModalityPlugin"/> implementations of a plugin assembly. Every failure — no such file,
/// not a .NET assembly, built against another plugin API version, no plugin type, a type that cannot be
/// created — is a <see cref="PluginLoadException"/> whose message names the file and what to do.
/// </summary>
public static class ModalityPluginLoader
{
    /// <summary>The plugins in the assembly at <paramref name="path"/>.</summary>
    public static IReadOnlyList<IModalityPlugin> Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new PluginLoadException($"plugin assembly {fullPath} does not exist; build the plugin project, or fix the path.");
        }
        Assembly assembly;
        try
        {
            assembly = new PluginLoadContext(fullPath).LoadFromAssemblyPath(fullPath);
        }
        catch (BadImageFormatException)
        {
            throw new PluginLoadException($"{fullPath} is not a .NET assembly.");
        }
        var seams = assembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == typeof(IModality).Assembly.GetName().Name);
        CheckCompatible(fullPath, seams);

        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException)
        {
            throw new PluginLoadException($"{fullPath}: its types cannot be loaded ({e.Message}); are its dependencies next to it?");
        }
        var pluginTypes = types.Where(t => typeof(IModalityPlugin).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false }).ToList();
        if (pluginTypes.Count == 0)
        {
            throw new PluginLoadException($"{fullPath} has no public class implementing {nameof(IModalityPlugin)}.");
        }
        return [.. pluginTypes.Select(t => Create(fullPath, t))];
    }

    /// <summary>Refuses a plugin whose reference to the seams assembly has another major version than this host's.</summary>
    public static void CheckCompatible(string path, AssemblyName? seams)
    {
        if (seams is null)
        {
            throw new PluginLoadException($"{path} does not reference {typeof(IModality).Assembly.GetName().Name}, so it cannot implement a Luma modality.");
        }
        if (seams.Version?.Major != PluginApi.Version)
        {
            throw new PluginLoadException(
                $"{path} was built against plugin API {seams.Version?.Major.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}, but this Luma provides plugin API {PluginApi.Version}; rebuild the plugin against this version of Luma.Unified.Abstractions.");
        }
    }

    private static IModalityPlugin Create(string path, Type type)
    {
        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new PluginLoadException($"{path}: {type.FullName} needs a public parameterless constructor.");
        }
        try
        {
            return (IModalityPlugin)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException e)
        {
            throw new PluginLoadException($"{path}: creating {type.FullName} failed: {e.InnerException?.Message}");
        }
    }
}

/// <summary>A plugin assembly that cannot be used; the message names the file and the reason.</summary>
public sealed class PluginLoadException(string message) : Exception(message);
