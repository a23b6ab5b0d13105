using System.Text.Json;
using Luma.Unified.Abstractions;
using Luma.Unified.Config;
using Luma.Unified.Modalities.Text;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training;

namespace Luma.Unified.Tests.Modalities;

public sealed class HfBpeTokenizerTests
{
    /// <summary>A tiny byte-level BPE tokenizer.json: the 256 byte symbols, then merges that build "hello" and " world".</summary>
    private static string WriteTokenizer(TempDirectory temp, bool withEos = false)
    {
        var vocab = Enumerable.Range(0, 256).ToDictionary(b => ByteLevelAlphabet.Symbols[b], b => b);
        string[][] merges = [["h", "e"], ["l", "l"], ["he", "ll"], ["hell", "o"], ["Ġ", "w"], ["o", "r"], ["Ġw", "or"], ["l", "d"], ["Ġwor", "ld"]];
        foreach (var merge in merges)
        {
            vocab[merge[0] + merge[1]] = vocab.Count;
        }
        object[] added = withEos ? [new { id = 265, content = "<|eos|>", special = true }] : [];
        var json = JsonSerializer.Serialize(new
        {
            model = new { type = "BPE", vocab, merges },
            pre_tokenizer = new { type = "ByteLevel", add_prefix_space = false },
            added_tokens = added,
        });
        var path = temp.Combine("tokenizer.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void MergesApplyAndIdsAreTheVocabularysOwn()
    {
        using var temp = new TempDirectory();
        var tokenizer = HfBpeTokenizer.Load(WriteTokenizer(temp));

        Assert.Equal([259, 264], tokenizer.Encode("hello world"));   // "hello", "Ġworld"
        Assert.Equal([256, 263], tokenizer.Encode("held"));           // "he", "ld"
        Assert.Equal([(int)'!'], tokenizer.Encode("!"));               // a byte that is its own symbol
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("Grüße, 世界! 🎨")]
    public void TextRoundTripsExactly(string text)
    {
        using var temp = new TempDirectory();
        var tokenizer = HfBpeTokenizer.Load(WriteTokenizer(temp));

        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void LumaSpecialTokensComeFromTheFileOrFollowItsIds()
    {
        using var plain = new TempDirectory();
        using var withEos = new TempDirectory();

        var appended = HfBpeTokenizer.Load(WriteTokenizer(plain));
        var declared = HfBpeTokenizer.Load(WriteTokenizer(withEos, withEos: true));

        Assert.Equal((265, 266, 273), (appended.SpecialTokenId(SpecialTokens.BeginDocument), appended.SpecialTokenId(SpecialTokens.EndDocument), appended.VocabSize));
        Assert.Equal(265, declared.SpecialTokenId(SpecialTokens.EndDocument));
        Assert.Equal(266, declared.SpecialTokenId(SpecialTokens.BeginDocument));
        Assert.Equal("hello", appended.Decode([265, 259, 266]));
    }

    [Fact]
    public void TheConfigNamesAMissingOrUnusableTokenizerFile()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("wordpiece.json"), """{"model": {"type": "WordPiece", "vocab": {}}}""");
        ITokenizer Create(string file) => BuiltInComponents.Tokenizers.Create("hf-json", new Luma.Unified.Config.Options.DataOptions { Tokenizer = "hf-json", TokenizerFile = file });

        Assert.Contains("data.tokenizer_file: the 'hf-json' tokenizer needs", Assert.Throws<ConfigException>(() => Create("")).Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer file not found", Assert.Throws<ConfigException>(() => Create(temp.Combine("none.json"))).Message, StringComparison.Ordinal);
        Assert.Contains("only model type BPE is supported (found WordPiece)", Assert.Throws<ConfigException>(() => Create(temp.Combine("wordpiece.json"))).Message, StringComparison.Ordinal);
    }
}
