using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Luma.Unified.Abstractions;
using Luma.Unified.Config.Options;

namespace Luma.Unified.Config;

/// <summary>
/// Maps a <see cref="ConfigMapping"/> onto option records: every YAML key must be a property (snake_case),
/// every value must convert to the property's type and satisfy its [Range]; sections that implement
/// <see cref="IValidatableOptions"/> then check their cross-value rules. Unset properties keep their defaults.
/// </summary>
public static class ConfigBinder
{
    /// <summary>Binds <paramref name="tree"/> onto a fresh <typeparamref name="T"/> (defaults from its initializers).</summary>
    public static T Bind<T>(ConfigMapping tree) where T : class, new() => (T)BindObject(typeof(T), tree, "", typeof(T));

    /// <summary>
    /// Binds a section onto a fresh <paramref name="type"/> (a plugin's options record); errors name keys under
    /// <paramref name="path"/> (e.g. <c>modalities.options.sensor.</c>).
    /// </summary>
    public static object BindSection(Type type, ConfigMapping section, string path) => BindObject(type, section, path, type);

    /// <summary>The option properties of <paramref name="type"/>, with their YAML keys, in declaration order.</summary>
    public static IEnumerable<(string Key, PropertyInfo Property)> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .OrderBy(p => p.MetadataToken)
            .Select(p => (ConfigNaming.Key(p.Name), p));

    /// <summary>Every dotted leaf key of <paramref name="type"/> (for "did you mean" across sections).</summary>
    public static IEnumerable<string> LeafKeys(Type type, string prefix = "") =>
        Properties(type).SelectMany(p => IsSection(p.Property.PropertyType)
            ? LeafKeys(p.Property.PropertyType, $"{prefix}{p.Key}.")
            : [$"{prefix}{p.Key}"]);

    private static object BindObject(Type type, ConfigMapping mapping, string path, Type root)
    {
        var instance = Activator.CreateInstance(type)!;
        var properties = Properties(type).ToDictionary(p => p.Key, p => p.Property);
        foreach (var (key, node) in mapping.Entries)
        {
            var dotted = path + key;
            if (!properties.TryGetValue(key, out var property))
            {
                throw UnknownKey(type, node.Source, path, key, root);
            }
            property.SetValue(instance, Convert(property, node, dotted, root));
        }
        if (instance is IValidatableOptions validatable)
        {
            foreach (var problem in validatable.Validate())
            {
                var key = ConfigNaming.Key(problem.Property);
                var node = mapping.Get(key);
                var value = type.GetProperty(problem.Property)!.GetValue(instance);
                throw ConfigException.At(node?.Source ?? mapping.Source, path + key, Format(value), problem.Problem);
            }
        }
        return instance;
    }

    private static ConfigException UnknownKey(Type type, string source, string path, string key, Type root)
    {
        var siblings = Properties(type).Select(p => p.Key).ToList();
        var suggestion = NameSuggestions.Closest(key, siblings);
        string hint;
        if (suggestion is not null)
        {
            hint = $" Did you mean '{path}{suggestion}'?";
        }
        else
        {
            // The key may belong to another section ("model.lr" → "train.lr").
            var elsewhere = LeafKeys(root).FirstOrDefault(k => k.EndsWith("." + key, StringComparison.Ordinal));
            hint = elsewhere is null ? "" : $" Did you mean '{elsewhere}'?";
        }
        var section = path.Length == 0 ? "the top level" : $"'{path.TrimEnd('.')}'";
        return ConfigException.At(source, path + key, null, $"unknown key.{hint} Known keys of {section}: {string.Join(", ", siblings)}.");
    }

    private static object? Convert(PropertyInfo property, ConfigNode node, string dotted, Type root)
    {
        var type = property.PropertyType;
        if (type == typeof(ConfigMapping))
        {
            // A raw section: bound later by whoever owns its schema (a plugin's options record).
            return node as ConfigMapping ?? throw ConfigException.At(node.Source, dotted, Describe(node), "expected a section (a mapping of keys).");
        }
        if (IsSection(type))
        {
            return node is ConfigMapping mapping
                ? BindObject(type, mapping, dotted + ".", root)
                : throw ConfigException.At(node.Source, dotted, Describe(node), "expected a section (a mapping of keys).");
        }
        if (ListElementType(type) is { } elementType)
        {
            return node is ConfigSequence sequence
                ? ConvertList(elementType, sequence, dotted)
                : throw ConfigException.At(node.Source, dotted, Describe(node), $"expected a list (each {Expected(elementType, null)}), e.g. [a, b].");
        }
        if (node is not ConfigScalar scalar)
        {
            throw ConfigException.At(node.Source, dotted, null, $"expected {Expected(property)}, got a {(node is ConfigSequence ? "list" : "mapping")}.");
        }
        if (scalar.Text is null)
        {
            throw ConfigException.At(node.Source, dotted, null, $"no value given: expected {Expected(property)}.");
        }
        var value = ParseScalar(type, scalar.Text)
            ?? throw ConfigException.At(node.Source, dotted, scalar.Text, $"expected {Expected(property)}.");
        if (property.GetCustomAttribute<RangeAttribute>() is { } range && !range.IsValid(value))
        {
            throw ConfigException.At(node.Source, dotted, scalar.Text, $"expected {Expected(property)}.");
        }
        if (property.GetCustomAttribute<RequiredAttribute>() is not null && value is string { Length: 0 })
        {
            throw ConfigException.At(node.Source, dotted, scalar.Text, "must not be empty.");
        }
        return value;
    }

    private static object ConvertList(Type elementType, ConfigSequence sequence, string dotted)
    {
        var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var item = sequence.Items[i] as ConfigScalar;
            var value = item?.Text is { } text ? ParseScalar(elementType, text) : null;
            list.Add(value ?? throw ConfigException.At(sequence.Items[i].Source, $"{dotted}[{i}]", item?.Text, $"expected {Expected(elementType, null)}."));
        }
        return list;
    }

    /// <summary>T for an <c>IReadOnlyList&lt;T&gt;</c> option, else null.</summary>
    public static Type? ListElementType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;

    private static object? ParseScalar(Type type, string text)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (type == typeof(string))
        {
            return text;
        }
        if (type == typeof(int))
        {
            return int.TryParse(text, NumberStyles.Integer, invariant, out var i) ? i : null;
        }
        if (type == typeof(long))
        {
            return long.TryParse(text, NumberStyles.Integer, invariant, out var l) ? l : null;
        }
        if (type == typeof(double))
        {
            return double.TryParse(text, NumberStyles.Float, invariant, out var d) && double.IsFinite(d) ? d : null;
        }
        if (type == typeof(bool))
        {
            return text switch { "true" => true, "false" => false, _ => null };
        }
        if (type.IsEnum)
        {
            return Enum.GetValues(type).Cast<Enum>().FirstOrDefault(v => ConfigNaming.EnumValue(v) == text);
        }
        throw new NotSupportedException($"Option type {type.Name} has no YAML conversion.");
    }

    private static string Expected(PropertyInfo property) => Expected(property.PropertyType, property.GetCustomAttribute<RangeAttribute>());

    private static string Expected(Type type, RangeAttribute? range)
    {
        var bounds = range is null ? "" : $" between {range.Minimum} and {range.Maximum}";
        return type switch
        {
            _ when type == typeof(int) || type == typeof(long) => $"an integer{bounds}",
            _ when type == typeof(double) => $"a number{bounds}",
            _ when type == typeof(bool) => "true or false",
            _ when type.IsEnum => $"one of {string.Join(", ", ConfigNaming.EnumValues(type))}",
            _ => "a string",
        };
    }

    private static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(ConfigMapping) && ListElementType(type) is null;

    private static string Describe(ConfigNode node) => node is ConfigScalar s ? s.Text ?? "" : node.GetType().Name;

    private static string? Format(object? value) => value switch
    {
        null => null,
        Enum e => ConfigNaming.EnumValue(e),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable items and not string => $"[{string.Join(", ", items.Cast<object>().Select(Format))}]",
        _ => value.ToString(),
    };
}
