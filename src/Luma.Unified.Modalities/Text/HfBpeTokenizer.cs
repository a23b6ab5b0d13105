using System.Text.Json;
using System.Text.RegularExpressions;
using Luma.Unified.Abstractions;
using Microsoft.ML.Tokenizers;

namespace Luma.Unified.Modalities.Text;

/// <summary>
/// A BPE tokenizer from a Hugging Face <c>tokenizer.json</c> (model type <c>BPE</c>: vocab + merges, byte-level
/// when its pre-tokenizer or decoder says ByteLevel, GPT-2's split pattern), through Microsoft.ML.Tokenizers.
/// Luma's special tokens are taken from the file's added tokens when present, else appended after its highest id.
/// </summary>
public sealed partial class HfBpeTokenizer : ITokenizer
{
    private static readonly IReadOnlyList<string> s_lumaSpecialTokens = SpecialTokens.All;

    private readonly BpeTokenizer _tokenizer;
    private readonly IReadOnlyDictionary<string, int> _specialTokens;
    private readonly HashSet<int> _specialIds;

    private HfBpeTokenizer(BpeTokenizer tokenizer, IReadOnlyDictionary<string, int> specialTokens, int vocabSize)
    {
        (_tokenizer, _specialTokens, VocabSize) = (tokenizer, specialTokens, vocabSize);
        _specialIds = [.. specialTokens.Values];
    }

    /// <inheritdoc/>
    public int VocabSize { get; }

    /// <summary>Reads <paramref name="path"/>; a file that is not a BPE tokenizer.json is an error naming it.</summary>
    public static HfBpeTokenizer Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: tokenizer file not found.");
        }
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {e.Message}");
        }
        if (!root.TryGetProperty("model", out var model) || model.GetProperty("type").GetString() is not "BPE")
        {
            throw new InvalidDataException($"{path}: only model type BPE is supported (found {(root.TryGetProperty("model", out var m) && m.TryGetProperty("type", out var t) ? t.GetString() : "none")}).");
        }
        var vocab = model.GetProperty("vocab").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var merges = model.GetProperty("merges").EnumerateArray()
            .Select(m => m.ValueKind == JsonValueKind.Array ? $"{m[0].GetString()} {m[1].GetString()}" : m.GetString()!).ToList();
        var specials = root.TryGetProperty("added_tokens", out var added)
            ? added.EnumerateArray().Where(a => a.TryGetProperty("special", out var s) && s.GetBoolean())
                .ToDictionary(a => a.GetProperty("content").GetString()!, a => a.GetProperty("id").GetInt32())
            : [];
        var next = vocab.Values.Concat(specials.Values).DefaultIfEmpty(-1).Max() + 1;
        foreach (var name in s_lumaSpecialTokens.Where(n => !specials.ContainsKey(n)))
        {
            specials[name] = next++;
        }
        var byteLevel = MentionsByteLevel(root, "pre_tokenizer") || MentionsByteLevel(root, "decoder");
        var options = new BpeOptions(vocab)
        {
            Merges = merges,
            ByteLevel = byteLevel,
            SpecialTokens = specials,
            PreTokenizer = byteLevel ? new RegexPreTokenizer(Gpt2Split(), specials) : PreTokenizer.CreateWhiteSpace(specials),
            UnknownToken = model.TryGetProperty("unk_token", out var unk) && unk.ValueKind == JsonValueKind.String ? unk.GetString() : null,
        };
        return new HfBpeTokenizer(BpeTokenizer.Create(options), specials, next);
    }

    /// <inheritdoc/>
    public int SpecialTokenId(string name) => _specialTokens.TryGetValue(name, out var id)
        ? id
        : throw new KeyNotFoundException($"this tokenizer has no special token '{name}'.");

    /// <inheritdoc/>
    public IReadOnlyList<int> Encode(string text) => _tokenizer.EncodeToIds(text);

    /// <inheritdoc/>
    public string Decode(IEnumerable<int> ids) => _tokenizer.Decode(ids.Where(id => !_specialIds.Contains(id))) ?? "";

    private static bool MentionsByteLevel(JsonElement root, string key) =>
        root.TryGetProperty(key, out var section) && section.ValueKind == JsonValueKind.Object &&
        (section.GetProperty("type").GetString() == "ByteLevel" ||
         (section.TryGetProperty("pretokenizers", out var inner) && inner.EnumerateArray().Any(p => p.GetProperty("type").GetString() == "ByteLevel")));

    // GPT-2's pre-tokenization pattern, used by byte-level BPE tokenizers.
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    internal static partial Regex Gpt2Split();
}
