using System.Text;

namespace Luma.Unified.Config;

/// <summary>How C# names appear in YAML: properties as snake_case keys, enum members as kebab-case values.</summary>
public static class ConfigNaming
{
    /// <summary><c>KvHeads</c> → <c>kv_heads</c>.</summary>
    public static string Key(string propertyName) => Split(propertyName, '_');

    /// <summary><c>Bf16Mixed</c> → <c>bf16-mixed</c>.</summary>
    public static string EnumValue(Enum value) => Split(value.ToString(), '-');

    /// <summary>All YAML spellings of an enum type's members.</summary>
    public static IReadOnlyList<string> EnumValues(Type enumType) =>
        [.. Enum.GetValues(enumType).Cast<Enum>().Select(EnumValue)];

    private static string Split(string pascal, char separator)
    {
        var text = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1])))
            {
                text.Append(separator);
            }
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }
}
