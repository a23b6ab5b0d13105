using Luma.Unified.Abstractions;
using Microsoft.ML.Tokenizers;

namespace Luma.Unified.Modalities.Text;

/// <summary>
/// OpenAI's BPE encodings (<c>o200k_base</c>, <c>cl100k_base</c>) through Microsoft.ML.Tokenizers, whose data
/// packages ship the merge tables (no download). Luma's own special tokens get the ids after the encoding's
/// highest one, so every published id stays what it is. As with tiktoken's <c>allowed_special="all"</c>, a
/// special token's literal text inside a document encodes to that special token.
/// </summary>
public sealed class TiktokenEncoding : ITokenizer
{
    private static readonly IReadOnlyList<string> s_lumaSpecialTokens = SpecialTokens.All;

    private readonly TiktokenTokenizer _tokenizer;
    private readonly IReadOnlyDictionary<string, int> _specialTokens;

    /// <summary>The encoding named <paramref name="encoding"/> (e.g. <c>o200k_base</c>).</summary>
    public TiktokenEncoding(string encoding)
    {
        var builtIn = TiktokenTokenizer.CreateForEncoding(encoding).SpecialTokens ?? new Dictionary<string, int>();
        var next = builtIn.Values.DefaultIfEmpty(-1).Max() + 1;
        var extra = s_lumaSpecialTokens.Select((name, i) => (name, id: next + i)).ToDictionary(t => t.name, t => t.id);
        _tokenizer = TiktokenTokenizer.CreateForEncoding(encoding, extra);
        _specialTokens = _tokenizer.SpecialTokens!;
        VocabSize = _specialTokens.Values.Max() + 1;
        Name = encoding;
    }

    /// <summary>The encoding's name.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public int VocabSize { get; }

    /// <inheritdoc/>
    public int SpecialTokenId(string name) => _specialTokens.TryGetValue(name, out var id)
        ? id
        : throw new KeyNotFoundException($"{Name} has no special token '{name}' (it has {string.Join(", ", _specialTokens.Keys)}).");

    /// <inheritdoc/>
    public IReadOnlyList<int> Encode(string text) => _tokenizer.EncodeToIds(text);

    /// <inheritdoc/>
    public string Decode(IEnumerable<int> ids)
    {
        var special = _specialTokens.Values.ToHashSet();
        return _tokenizer.Decode(ids.Where(id => !special.Contains(id)));
    }
}
