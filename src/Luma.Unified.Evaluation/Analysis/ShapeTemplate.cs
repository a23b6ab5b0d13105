using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Evaluation.Analysis;

/// <summary>
/// One shape at one size as <see cref="ShapeScene"/> draws it, reduced to the pixels it covers at least half of.
/// Comparing a foreground blob with every template by intersection-over-union reads shape and size together;
/// they cannot be read apart, because areas overlap across shapes (a medium triangle, 2r² = 0.029 of the
/// image, covers more than a small square, 4r² = 0.026).
/// </summary>
internal sealed class ShapeTemplate
{
    private ShapeTemplate(string shape, string size, int side, ForegroundBlob mask)
    {
        Shape = shape;
        Size = size;
        Side = side;
        Mask = mask;
    }

    public string Shape { get; }

    public string Size { get; }

    /// <summary>The template is drawn centred in a <c>Side × Side</c> image.</summary>
    public int Side { get; }

    public ForegroundBlob Mask { get; }

    /// <summary>Every shape at every size, drawn at <paramref name="side"/>; a small side drops those that cover no pixel at least half.</summary>
    public static IReadOnlyList<ShapeTemplate> All(int side) =>
        ShapesVocabulary.Shapes.SelectMany(shape => ShapesVocabulary.Sizes.Select(size => Draw(shape, size, side))).OfType<ShapeTemplate>().ToList();

    private static ShapeTemplate? Draw(string shape, string size, int side)
    {
        // Drawn in white, the palette colour farthest from the grey, so half coverage is measured most finely.
        var image = new ShapeScene("white", shape, size, "middle", "center").Render(side);
        var white = ShapeScene.Rgb("white");
        var background = ((double)ShapeScene.Background.R, (double)ShapeScene.Background.G, (double)ShapeScene.Background.B);
        var mask = ForegroundBlob.Largest(side, side, minimumArea: 1, i =>
            PaletteMatch.Coverage((image.Pixels[3 * i], image.Pixels[3 * i + 1], image.Pixels[3 * i + 2]), background, white) >= 0.5);
        return mask is null ? null : new ShapeTemplate(shape, size, side, mask);
    }

    /// <summary>
    /// How well the template fits <paramref name="blob"/>: the best intersection-over-union over placements that
    /// put the two centroids within a pixel of each other (whole-pixel shifts, so a centroid falling between
    /// pixels costs nothing), and where that placement puts the shape's centre (in the blob's pixel coordinates).
    /// </summary>
    public (ShapeTemplate Template, double IoU, (double X, double Y) Center) Fit(ForegroundBlob blob)
    {
        var (baseX, baseY) = ((int)Math.Round(blob.Centroid.X - Mask.Centroid.X), (int)Math.Round(blob.Centroid.Y - Mask.Centroid.Y));
        var (bestIoU, bestX, bestY) = (-1.0, baseX, baseY);
        for (var shiftY = baseY - 1; shiftY <= baseY + 1; shiftY++)
        {
            for (var shiftX = baseX - 1; shiftX <= baseX + 1; shiftX++)
            {
                var overlap = Mask.Pixels.Count(i => blob.Contains(i % Side + shiftX, i / Side + shiftY));
                var iou = (double)overlap / (blob.Area + Mask.Area - overlap);
                if (iou > bestIoU)
                {
                    (bestIoU, bestX, bestY) = (iou, shiftX, shiftY);
                }
            }
        }
        return (this, bestIoU, (Side / 2.0 + bestX, Side / 2.0 + bestY));
    }
}
