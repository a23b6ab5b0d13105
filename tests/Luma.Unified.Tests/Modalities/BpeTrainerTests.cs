using Luma.Unified.Modalities.Text;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Modalities;

public sealed class BpeTrainerTests
{
    private static readonly string[] s_captions =
    [
        "a large red circle at the top left.", "a small blue star at the middle center.",
        "a medium green square at the bottom right.", "a large yellow triangle at the top center.",
    ];

    private static HfBpeTokenizer Load(BpeVocabulary vocabulary, TempDirectory temp)
    {
        var path = temp.Combine("tokenizer.json");
        File.WriteAllText(path, vocabulary.ToTokenizerJson());
        return HfBpeTokenizer.Load(path);
    }

    [Fact]
    public void WordsOfTheCorpusBecomeOneTokenEachAndAnyTextRoundTrips()
    {
        using var temp = new TempDirectory();
        var tokenizer = Load(BpeTrainer.Train(Enumerable.Repeat(s_captions, 20).SelectMany(c => c), vocabSize: 512), temp);

        // "a", " large", " red", " circle", " at", " the", " top", " left", "."
        Assert.Equal(9, tokenizer.Encode("a large red circle at the top left.").Count);
        Assert.Equal("a large red circle at the top left.", tokenizer.Decode(tokenizer.Encode("a large red circle at the top left.")));
        // Text it never saw falls back to bytes, and still comes back exactly.
        const string unseen = "Grüße, 世界! 42 🎨";
        Assert.Equal(unseen, tokenizer.Decode(tokenizer.Encode(unseen)));
    }

    [Fact]
    public void TheMostFrequentPairMergesFirstAndTheVocabularyStopsAtItsSize()
    {
        // Pieces "ab", " ab", " ab", " cd": (a, b) occurs 3 times, (Ġ, a) twice, the rest once.
        var vocabulary = BpeTrainer.Train(["ab ab ab cd"], vocabSize: 258, minFrequency: 1);

        Assert.Equal([("a", "b"), ("Ġ", "ab")], vocabulary.Merges);
        Assert.Equal(258, vocabulary.Vocab.Count);
        Assert.Equal(256, vocabulary.Vocab["ab"]);
        Assert.Equal(257, vocabulary.Vocab["Ġab"]);
    }

    [Fact]
    public void PairsRarerThanTheMinimumAreNotMergedAndTheSameTextGivesTheSameFile()
    {
        var once = BpeTrainer.Train(["xy zw"], vocabSize: 300, minFrequency: 2);
        Assert.Empty(once.Merges);
        Assert.Equal(BpeTrainer.AlphabetSize, once.Vocab.Count);

        Assert.Equal(BpeTrainer.Train(s_captions, 300).ToTokenizerJson(), BpeTrainer.Train(s_captions, 300).ToTokenizerJson());
    }
}
