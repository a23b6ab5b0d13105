using Luma.Unified.Config.Options;

namespace Luma.Unified.Config;

/// <summary>A configuration as loaded: the typed options, the file they came from, and where each value was set.</summary>
public sealed record LoadedConfig(LumaConfig Options, string SourcePath, ConfigMapping Tree)
{
    /// <summary>The fully resolved configuration as YAML (defaults and overrides applied).</summary>
    public string ToYaml() => ConfigWriter.ToYaml(Options);

    /// <summary>Where <paramref name="dottedKey"/> was set ("file:line" or "--set ..."), or the file when it kept its default.</summary>
    public string SourceOf(string dottedKey)
    {
        ConfigNode? node = Tree;
        foreach (var part in dottedKey.Split('.'))
        {
            node = (node as ConfigMapping)?.Get(part);
        }
        return node?.Source ?? SourcePath;
    }
}

/// <summary>Loads a YAML config file, applies <c>--set key=value</c> overrides, binds and validates.</summary>
public static class ConfigLoader
{
    /// <summary>Loads <paramref name="path"/> (null: defaults only) with <paramref name="overrides"/> ("model.dim=64").</summary>
    public static LoadedConfig Load(string? path, IEnumerable<string> overrides)
    {
        var (options, tree) = Load<LumaConfig>(path, overrides);
        return new LoadedConfig(options, path ?? "defaults", tree);
    }

    /// <summary>Loads any root option record <typeparamref name="T"/> (e.g. a codec's training config) the same way.</summary>
    public static (T Options, ConfigMapping Tree) Load<T>(string? path, IEnumerable<string> overrides) where T : class, new()
    {
        ConfigMapping tree;
        if (path is null)
        {
            tree = new ConfigMapping([], "defaults");
        }
        else if (!File.Exists(path))
        {
            throw new ConfigException($"{path}: config file not found.");
        }
        else
        {
            tree = ConfigTree.Parse(File.ReadAllText(path), path);
        }
        foreach (var assignment in overrides)
        {
            ApplyOverride(tree, assignment);
        }
        return (ConfigBinder.Bind<T>(tree), tree);
    }

    /// <summary>Sets the dotted key of "<c>a.b.c=value</c>" in <paramref name="tree"/>, creating sections as needed.</summary>
    public static void ApplyOverride(ConfigMapping tree, string assignment)
    {
        var source = $"--set {assignment}";
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ConfigException($"{source}: expected KEY=VALUE with a dotted key, e.g. --set model.dim=64.");
        }
        var path = assignment[..equals].Trim().Split('.');
        if (path.Any(string.IsNullOrWhiteSpace))
        {
            throw new ConfigException($"{source}: '{assignment[..equals]}' is not a dotted key such as model.dim.");
        }
        var value = ConfigTree.ParseValue(assignment[(equals + 1)..], source);
        var section = tree;
        foreach (var name in path[..^1])
        {
            if (section.Get(name) is not ConfigMapping child)
            {
                child = new ConfigMapping([], source);
                section.Set(name, child);
            }
            section = child;
        }
        section.Set(path[^1], value);
    }
}
