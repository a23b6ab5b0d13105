using System.Text;
using Luma.Unified.Abstractions;

namespace Luma.Unified.Data.Corpus;

/// <summary>
/// The built-in text corpus: short documents describing scenes of the shapes world ("a small red circle at
/// the top left. it moves right."), generated from a seed, so no download is needed and every run and test
/// sees the same text. Its grammar is regular enough that a 1M-parameter model learns it in minutes on CPU,
/// and its words are the captions the multimodal shapes world uses.
/// </summary>
public sealed class ShapesCaptionCorpus : IDocumentSource
{
    private readonly long _seed;

    /// <summary>A corpus of <paramref name="count"/> documents; document i depends only on (seed, i).</summary>
    public ShapesCaptionCorpus(int count, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Count = count;
        _seed = seed;
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public TextDocument Get(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var random = new Random(SeedMixer.Mix(_seed, index));
        var text = new StringBuilder();
        var sentences = 1 + random.Next(3);
        for (var s = 0; s < sentences; s++)
        {
            if (s > 0)
            {
                text.Append(' ');
            }
            text.Append(Sentence(random));
        }
        return new TextDocument($"shapes-captions/{index}", text.ToString());
    }

    private static string Sentence(Random random)
    {
        string Pick(string[] words) => words[random.Next(words.Length)];
        var color = Pick(ShapesVocabulary.Colors);
        var shape = Pick(ShapesVocabulary.Shapes);
        return random.Next(4) switch
        {
            0 => $"a {Pick(ShapesVocabulary.Sizes)} {color} {shape} at the {Pick(ShapesVocabulary.VerticalPositions)} {Pick(ShapesVocabulary.HorizontalPositions)}.",
            1 => $"a {color} {shape} moves {Pick(ShapesVocabulary.Directions)}.",
            2 => $"the {shape} is {color}.",
            _ => $"a tone of {ShapesVocabulary.PitchesHz[random.Next(ShapesVocabulary.PitchesHz.Length)]} hz.",
        };
    }
}
