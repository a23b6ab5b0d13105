using System.Collections.Concurrent;
using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Evaluation.Analysis;

/// <summary>
/// Reads colour, shape, size and grid position back from a shapes-world image of any size from <see cref="MinimumSide"/> up — a clean render or
/// a blurry, noisy decode of one. Steps: find the pixels that stand out of the background
/// (<see cref="ForegroundBlob.Detect"/>); name their median colour (<see cref="PaletteMatch.Nearest"/>); redraw the
/// blob as the pixels holding at least half of that palette colour, which is where an anti-aliased renderer puts
/// the shape's edge whatever its contrast; fit every shape-and-size template (<see cref="ShapeTemplate"/>); and
/// take the grid cell of the fitted template's centre (not the blob's centroid: a triangle's centroid sits r/3
/// below its centre). Deterministic and thread-safe; templates are drawn once per image side.
/// </summary>
public sealed class ShapeImageAnalyser
{
    /// <summary>
    /// Smallest image side read: below it a small shape's radius (0.08 of the side) is under 1.3 pixels, and
    /// even at 32 pixels a 3×3 blur already erases a star's arms, so any answer would be a guess.
    /// </summary>
    public const int MinimumSide = 16;

    private readonly ConcurrentDictionary<int, IReadOnlyList<ShapeTemplate>> _templatesBySide = new();

    /// <summary>The attributes of the one shape in <paramref name="image"/>, or <see cref="ImageAnalysis.Nothing"/> when none stands out; throws when a side is under <see cref="MinimumSide"/>.</summary>
    public ImageAnalysis Analyse(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Math.Min(image.Width, image.Height) < MinimumSide)
        {
            throw new ArgumentException($"a {image.Width}×{image.Height} image is too small to read a shape from; sides of at least {MinimumSide} pixels are needed", nameof(image));
        }
        var seed = ForegroundBlob.Detect(image, out var background);
        if (seed is null)
        {
            return ImageAnalysis.Nothing;
        }
        var color = PaletteMatch.Nearest(seed.MedianColor(image), background);
        var target = ShapeScene.Rgb(color);
        var pixels = image.Pixels;
        var blob = ForegroundBlob.Largest(image.Width, image.Height, ForegroundBlob.MinimumShapeArea(image.Width, image.Height), i =>
            PaletteMatch.Coverage((pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2]), background, target) >= 0.5) ?? seed;

        var templates = _templatesBySide.GetOrAdd(Math.Min(image.Width, image.Height), ShapeTemplate.All);
        var (template, match, center) = templates.Select(t => t.Fit(blob)).MaxBy(fit => fit.IoU);
        return new ImageAnalysis(
            new ImageAttributes(color, template.Shape, template.Size,
                Cell(center.Y / image.Height, ShapesVocabulary.VerticalPositions), Cell(center.X / image.Width, ShapesVocabulary.HorizontalPositions)),
            (double)blob.Area / (image.Width * image.Height),
            match);
    }

    // Thirds of the side: [0, 1/3) is the first word, [1/3, 2/3) the second, the rest the third.
    private static string Cell(double fraction, string[] words) => words[Math.Clamp((int)Math.Floor(fraction * words.Length), 0, words.Length - 1)];
}
