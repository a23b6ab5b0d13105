using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Luma.Unified.Config;

/// <summary>Writes bound option records back as YAML, every key present: the "resolved config".</summary>
public static class ConfigWriter
{
    /// <summary>YAML text of <paramref name="options"/> with the same keys <see cref="ConfigBinder"/> reads.</summary>
    public static string ToYaml(object options)
    {
        var document = new YamlDocument(ToNode(options));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(document).Save(writer, assignAnchors: false);
        // YamlDotNet closes every document with an explicit end marker; a config file reads better without it.
        return writer.ToString().Replace("\n...\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";
    }

    private static YamlNode ToNode(object value) => value switch
    {
        string s => new YamlScalarNode(s),
        bool b => new YamlScalarNode(b ? "true" : "false"),
        Enum e => new YamlScalarNode(ConfigNaming.EnumValue(e)),
        // Lower-case exponent ("1e-05"): the YAML 1.2 float form other tools read back as a number.
        double d => new YamlScalarNode(d.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal)),
        IFormattable f => new YamlScalarNode(f.ToString(null, CultureInfo.InvariantCulture)),
        ConfigNode raw => Raw(raw),
        System.Collections.IEnumerable items => new YamlSequenceNode(items.Cast<object>().Select(ToNode)) { Style = YamlDotNet.Core.Events.SequenceStyle.Flow },
        _ => Mapping(value),
    };

    // A raw section is written back as it was read.
    private static YamlNode Raw(ConfigNode node) => node switch
    {
        ConfigScalar scalar => new YamlScalarNode(scalar.Text),
        ConfigSequence sequence => new YamlSequenceNode(sequence.Items.Select(Raw)) { Style = YamlDotNet.Core.Events.SequenceStyle.Flow },
        ConfigMapping mapping => new YamlMappingNode(mapping.Entries.Select(e => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(e.Key), Raw(e.Value)))),
        _ => throw new ArgumentException($"unknown config node {node.GetType().Name}", nameof(node)),
    };

    private static YamlMappingNode Mapping(object section)
    {
        var mapping = new YamlMappingNode();
        foreach (var (key, property) in ConfigBinder.Properties(section.GetType()))
        {
            mapping.Add(key, ToNode(property.GetValue(section)!));
        }
        return mapping;
    }
}
