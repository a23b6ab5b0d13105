using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Evaluation.Analysis;

/// <summary>
/// Colours measured in an image against the shapes-world palette. A blurred or anti-aliased shape's pixels
/// are mixtures <c>background + t·(colour − background)</c>, 0 ≤ t ≤ 1: blur moves a colour along the segment
/// towards the grey background, never across to another palette colour. So a colour is matched to the palette
/// entry whose segment passes nearest, not to the nearest entry: a faint red (151, 106, 106), a quarter of the
/// way from grey to red, is 88 levels from purple and 116 from red, but lies on red's segment. White and black
/// both lie on the grey axis, on opposite sides of the background, and t ≥ 0 keeps them apart.
/// </summary>
internal static class PaletteMatch
{
    /// <summary>The palette colour whose segment from <paramref name="background"/> passes nearest to <paramref name="color"/>.</summary>
    public static string Nearest((double R, double G, double B) color, (double R, double G, double B) background) =>
        ShapesVocabulary.Colors.MinBy(name => DistanceToSegment(color, background, ShapeScene.Rgb(name)))!;

    /// <summary>
    /// How much of <paramref name="target"/> a pixel holds, as the fraction t of the way from
    /// <paramref name="background"/> to <paramref name="target"/> (projected, so noise across the segment does
    /// not count). An anti-aliased edge pixel's t is the fraction of it the shape covers.
    /// </summary>
    public static double Coverage((double R, double G, double B) pixel, (double R, double G, double B) background, (byte R, byte G, byte B) target)
    {
        var (tr, tg, tb) = (target.R - background.R, target.G - background.G, target.B - background.B);
        var (pr, pg, pb) = (pixel.R - background.R, pixel.G - background.G, pixel.B - background.B);
        return (pr * tr + pg * tg + pb * tb) / Math.Max(1e-9, tr * tr + tg * tg + tb * tb);
    }

    private static double DistanceToSegment((double R, double G, double B) color, (double R, double G, double B) background, (byte R, byte G, byte B) target)
    {
        var t = Math.Clamp(Coverage(color, background, target), 0, 1);
        var (er, eg, eb) = (
            color.R - (background.R + t * (target.R - background.R)),
            color.G - (background.G + t * (target.G - background.G)),
            color.B - (background.B + t * (target.B - background.B)));
        return Math.Sqrt(er * er + eg * eg + eb * eb);
    }
}
