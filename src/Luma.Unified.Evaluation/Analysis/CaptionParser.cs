using System.Globalization;
using System.Text.RegularExpressions;
using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Evaluation.Analysis;

/// <summary>
/// Reads the attributes a generated caption states ("a small red circle at the top left.", "a red circle moves
/// left.", "a loud tone of 440 hz for 1.0 seconds."). Generated text drifts from the template — words dropped,
/// misspelt, reordered, wrapped in other text — so each attribute is looked up on its own by its vocabulary
/// words rather than by matching the whole sentence: "a smal red circle at the top left" still gives colour,
/// shape and position, and only its size is unknown. An attribute the caption names with two different words
/// ("a red blue circle") is ambiguous and comes back null rather than as whichever word came first.
/// </summary>
public static partial class CaptionParser
{
    /// <summary>Colour, shape, size and grid position of an image caption.</summary>
    public static ImageAttributes ParseImage(string caption)
    {
        var words = Words(caption);
        return new ImageAttributes(
            TheOnly(words, ShapesVocabulary.Colors), TheOnly(words, ShapesVocabulary.Shapes), TheOnly(words, ShapesVocabulary.Sizes),
            TheOnly(words, ShapesVocabulary.VerticalPositions), TheOnly(words, ShapesVocabulary.HorizontalPositions));
    }

    /// <summary>Colour, shape and direction of a video caption.</summary>
    public static MotionAttributes ParseMotion(string caption)
    {
        var words = Words(caption);
        return new MotionAttributes(
            TheOnly(words, ShapesVocabulary.Colors), TheOnly(words, ShapesVocabulary.Shapes), TheOnly(words, ShapesVocabulary.Directions));
    }

    /// <summary>Pitch ("440 hz"), loudness and duration ("1.0 seconds") of a tone caption.</summary>
    public static ToneAttributes ParseTone(string caption)
    {
        var words = Words(caption);
        var pitch = TheOnlyNumberBefore(words, "hz");
        return new ToneAttributes(
            pitch is { } hz && hz == Math.Floor(hz) && hz <= int.MaxValue ? (int)hz : null,
            TheOnly(words, ToneSpec.Loudnesses),
            TheOnlyNumberBefore(words, "second", "seconds"));
    }

    // Lower-case words and decimal numbers; "440hz" splits into "440" and "hz", "1.0." keeps "1.0".
    [GeneratedRegex(@"[a-z]+|\d+(?:\.\d+)?")]
    private static partial Regex WordPattern();

    private static List<string> Words(string caption) =>
        WordPattern().Matches(caption.ToLowerInvariant()).Select(m => m.Value).ToList();

    private static string? TheOnly(List<string> words, string[] vocabulary)
    {
        var named = words.Where(vocabulary.Contains).Distinct().ToList();
        return named.Count == 1 ? named[0] : null;
    }

    private static double? TheOnlyNumberBefore(List<string> words, params string[] units)
    {
        var values = new HashSet<double>();
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if (units.Contains(words[i + 1]) && double.TryParse(words[i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                values.Add(value);
            }
        }
        return values.Count == 1 ? values.First() : null;
    }
}
