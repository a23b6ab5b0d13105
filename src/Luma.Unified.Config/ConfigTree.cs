using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Luma.Unified.Config;

/// <summary>A YAML value plus where it came from ("configs/x.yaml:12" or "--set model.dim=64").</summary>
public abstract record ConfigNode(string Source);

/// <summary>A scalar as written; <see cref="Text"/> is null for YAML null (an empty value).</summary>
public sealed record ConfigScalar(string? Text, string Source) : ConfigNode(Source);

/// <summary>A sequence.</summary>
public sealed record ConfigSequence(IReadOnlyList<ConfigNode> Items, string Source) : ConfigNode(Source);

/// <summary>A mapping, in file order.</summary>
public sealed record ConfigMapping(List<KeyValuePair<string, ConfigNode>> Entries, string Source) : ConfigNode(Source)
{
    /// <summary>Replaces or appends the entry for <paramref name="key"/>.</summary>
    public void Set(string key, ConfigNode value)
    {
        var index = Entries.FindIndex(e => e.Key == key);
        if (index >= 0)
        {
            Entries[index] = new(key, value);
        }
        else
        {
            Entries.Add(new(key, value));
        }
    }

    /// <summary>The entry for <paramref name="key"/>, or null.</summary>
    public ConfigNode? Get(string key) => Entries.FirstOrDefault(e => e.Key == key).Value;
}

/// <summary>Reads YAML text into <see cref="ConfigNode"/>s that remember their file and line.</summary>
public static class ConfigTree
{
    /// <summary>Parses a whole YAML document; an empty document is an empty mapping.</summary>
    public static ConfigMapping Parse(string yaml, string sourceName)
    {
        var root = LoadRoot(yaml, e => $"{sourceName}:{e.Start.Line}: not valid YAML");
        if (root is null)
        {
            return new ConfigMapping([], sourceName);
        }
        return Convert(root, sourceName, withLine: true) as ConfigMapping
            ?? throw new ConfigException($"{sourceName}: the top level must be a mapping of sections (run:, data:, model:, ...).");
    }

    /// <summary>Parses the value side of a --set override: any YAML scalar or flow collection.</summary>
    public static ConfigNode ParseValue(string text, string source)
    {
        var root = LoadRoot(text, _ => $"{source}: the value is not valid YAML");
        return root is null ? new ConfigScalar(null, source) : Convert(root, source, withLine: false);
    }

    /// <summary>The first document's root node, or null for an empty text; syntax errors become <see cref="ConfigException"/>s.</summary>
    private static YamlNode? LoadRoot(string text, Func<YamlException, string> where)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{where(e)}: {e.InnerException?.Message ?? e.Message}");
        }
        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    private static ConfigNode Convert(YamlNode node, string sourceName, bool withLine)
    {
        var source = withLine ? $"{sourceName}:{node.Start.Line}" : sourceName;
        switch (node)
        {
            case YamlScalarNode scalar:
                var isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null";
                return new ConfigScalar(isNull ? null : scalar.Value, source);
            case YamlSequenceNode sequence:
                return new ConfigSequence([.. sequence.Children.Select(c => Convert(c, sourceName, withLine))], source);
            case YamlMappingNode mapping:
                var entries = new List<KeyValuePair<string, ConfigNode>>();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = (key as YamlScalarNode)?.Value
                        ?? throw new ConfigException($"{sourceName}:{key.Start.Line}: keys must be plain names.");
                    if (entries.Any(e => e.Key == name))
                    {
                        throw new ConfigException($"{sourceName}:{key.Start.Line}: key '{name}' appears twice in the same section.");
                    }
                    var converted = Convert(value, sourceName, withLine);
                    // Errors about an entry point at its key's line (a block mapping's own start is the line after).
                    entries.Add(new(name, withLine ? converted with { Source = $"{sourceName}:{key.Start.Line}" } : converted));
                }
                return new ConfigMapping(entries, source);
            default:
                throw new ConfigException($"{source}: unsupported YAML node (anchors and aliases are not used in configs).");
        }
    }
}
