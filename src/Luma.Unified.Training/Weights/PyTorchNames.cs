using System.Text;

namespace Luma.Unified.Training.Weights;

/// <summary>
/// Exported tensor names follow PyTorch's convention: module attributes in snake_case, joined by dots
/// (<c>backbone.blocks.0.attention_norm.weight</c>), where TorchSharp's state dict carries the C# field names
/// (<c>backbone.blocks.0.attentionNorm.weight</c>). The mapping is computed from the model's own names in both
/// directions, so it needs no table.
/// </summary>
public static class PyTorchNames
{
    /// <summary>The exported name of state-dict key <paramref name="name"/>.</summary>
    public static string Of(string name)
    {
        var result = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '.')
                {
                    result.Append('_');
                }
                result.Append(char.ToLowerInvariant(c));
            }
            else
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }

    /// <summary>Exported name → state-dict key for <paramref name="stateDictKeys"/>; two keys that would export alike are a bug.</summary>
    public static IReadOnlyDictionary<string, string> Inverse(IEnumerable<string> stateDictKeys)
    {
        var inverse = new Dictionary<string, string>();
        foreach (var key in stateDictKeys)
        {
            if (!inverse.TryAdd(Of(key), key))
            {
                throw new InvalidOperationException($"state-dict keys '{inverse[Of(key)]}' and '{key}' both export as '{Of(key)}'.");
            }
        }
        return inverse;
    }
}
