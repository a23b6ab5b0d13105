namespace Luma.Unified.Modalities.Text;

/// <summary>
/// GPT-2's byte-level alphabet: each of the 256 byte values as one printable character (printable ASCII and Latin-1
/// stand for themselves, the rest move to U+0100 and up), so that BPE vocabularies and merges are plain strings.
/// Byte-level tokenizer.json files (and Microsoft.ML.Tokenizers' <c>ByteLevel</c> option) use this mapping.
/// </summary>
public static class ByteLevelAlphabet
{
    /// <summary>The character standing for each byte value, indexed by the byte.</summary>
    public static IReadOnlyList<string> Symbols { get; } = Build();

    private static string[] Build()
    {
        var symbols = new string[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';
            symbols[b] = ((char)(printable ? b : next++)).ToString();
        }
        return symbols;
    }
}
