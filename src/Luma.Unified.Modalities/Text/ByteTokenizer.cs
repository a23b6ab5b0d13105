using System.Text;
using Luma.Unified.Abstractions;

namespace Luma.Unified.Modalities.Text;

/// <summary>
/// UTF-8 bytes as tokens (ids 0–255) plus special tokens from 256 up. Lossless for any Unicode text and
/// needs no vocabulary file: the default for tiny runs, where a 259-entry embedding beats a 100k one.
/// </summary>
public sealed class ByteTokenizer : ITokenizer
{
    private static readonly IReadOnlyList<string> s_specialTokens = SpecialTokens.All;

    /// <inheritdoc/>
    public int VocabSize => 256 + s_specialTokens.Count;

    /// <inheritdoc/>
    public int SpecialTokenId(string name)
    {
        var index = s_specialTokens.ToList().IndexOf(name);
        return index >= 0
            ? 256 + index
            : throw new KeyNotFoundException($"The byte tokenizer has no special token '{name}' (it has {string.Join(", ", s_specialTokens)}).");
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> Encode(string text) => [.. Encoding.UTF8.GetBytes(text).Select(b => (int)b)];

    /// <inheritdoc/>
    public string Decode(IEnumerable<int> ids) =>
        Encoding.UTF8.GetString([.. ids.Where(id => id is >= 0 and < 256).Select(id => (byte)id)]);
}
