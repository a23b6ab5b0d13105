using System.Text;

namespace Luma.Unified.Modalities.Text;

/// <summary>
/// Learns a byte-level BPE vocabulary from text, the way Hugging Face's <c>ByteLevelBPETokenizer.train</c> does: the
/// text is split with GPT-2's pattern (the split <see cref="HfBpeTokenizer"/> applies when it loads the result), each
/// piece starts as its UTF-8 bytes, and the most frequent adjacent pair is merged until the vocabulary has the size
/// asked for or no pair occurs <c>minFrequency</c> times. Ties go to the pair that sorts first, so the same text
/// always gives the same vocabulary. Why: a corpus of a few hundred words (the shapes world) read byte by byte spends
/// three to four positions per word; its own vocabulary spends one. Each merge recounts the pairs of every distinct
/// piece (no incremental pair index): 2 s for the shapes world's 180 merges, but slow for tens of thousands of merges
/// over a large corpus.
/// </summary>
public static class BpeTrainer
{
    /// <summary>Byte-level alphabet size: every vocabulary holds these 256 symbols first.</summary>
    public const int AlphabetSize = 256;

    /// <summary>Learns up to <paramref name="vocabSize"/> symbols; <paramref name="progress"/> counts the merges made.</summary>
    public static BpeVocabulary Train(IEnumerable<string> texts, int vocabSize, int minFrequency = 2, IProgress<long>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, AlphabetSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(minFrequency, 1);
        var alphabet = ByteLevelAlphabet.Symbols;
        var pieces = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var match in HfBpeTokenizer.Gpt2Split().EnumerateMatches(text))
            {
                var piece = text.Substring(match.Index, match.Length);
                pieces[piece] = pieces.GetValueOrDefault(piece) + 1;
            }
        }
        var words = pieces.Select(p => (Symbols: Encoding.UTF8.GetBytes(p.Key).Select(b => alphabet[b]).ToList(), Count: p.Value)).ToList();
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var b = 0; b < AlphabetSize; b++)
        {
            vocab[alphabet[b]] = b;
        }
        var merges = new List<(string Left, string Right)>();
        while (vocab.Count < vocabSize)
        {
            var pairs = new Dictionary<(string, string), long>();
            foreach (var (symbols, count) in words)
            {
                for (var i = 0; i + 1 < symbols.Count; i++)
                {
                    pairs[(symbols[i], symbols[i + 1])] = pairs.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
                }
            }
            var best = pairs.Where(p => p.Value >= minFrequency)
                .OrderByDescending(p => p.Value)
                .ThenBy(p => p.Key.Item1, StringComparer.Ordinal)
                .ThenBy(p => p.Key.Item2, StringComparer.Ordinal)
                .Select(p => ((string, string)?)p.Key)
                .FirstOrDefault();
            if (best is not var (left, right))
            {
                break;
            }
            var merged = left + right;
            if (!vocab.ContainsKey(merged))
            {
                vocab[merged] = vocab.Count;
            }
            merges.Add((left, right));
            progress?.Report(merges.Count);
            foreach (var (symbols, _) in words)
            {
                for (var i = 0; i + 1 < symbols.Count; i++)
                {
                    if (symbols[i] == left && symbols[i + 1] == right)
                    {
                        symbols[i] = merged;
                        symbols.RemoveAt(i + 1);
                    }
                }
            }
        }
        return new BpeVocabulary(vocab, merges);
    }
}
