using System.Text.Json;
using System.Text.Json.Nodes;

namespace Luma.Unified.Modalities.Text;

/// <summary>A learned byte-level BPE: symbols → ids, and the merges in the order they apply.</summary>
public sealed record BpeVocabulary(IReadOnlyDictionary<string, int> Vocab, IReadOnlyList<(string Left, string Right)> Merges)
{
    /// <summary>
    /// Hugging Face's <c>tokenizer.json</c> for it (model BPE, ByteLevel pre-tokenizer and decoder), the file
    /// <c>data.tokenizer: hf-json</c> loads and the <c>tokenizers</c> library reads.
    /// </summary>
    public string ToTokenizerJson()
    {
        var vocab = new JsonObject();
        foreach (var (symbol, id) in Vocab.OrderBy(v => v.Value))
        {
            vocab[symbol] = id;
        }
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true };
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(),
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel,
            ["post_processor"] = null,
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray([.. Merges.Select(m => (JsonNode)new JsonArray(m.Left, m.Right))]),
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
