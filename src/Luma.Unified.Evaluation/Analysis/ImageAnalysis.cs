namespace Luma.Unified.Evaluation.Analysis;

/// <summary>
/// What <see cref="ShapeImageAnalyser"/> read from an image, with how sure it can be: a generated image that
/// is mostly right still yields attributes, so the scores next to them let a report tell a crisp shape
/// (<see cref="ShapeMatch"/> ≈ 0.9 on clean renders) from a smudge that merely resembles one.
/// </summary>
/// <param name="Attributes">Colour, shape, size and position; all null when no shape stands out of the background.</param>
/// <param name="ForegroundFraction">Share of the image's pixels that belong to the shape (0 when none was found).</param>
/// <param name="ShapeMatch">Intersection-over-union of the shape with the best-fitting template (0 when none was found).</param>
public sealed record ImageAnalysis(ImageAttributes Attributes, double ForegroundFraction, double ShapeMatch)
{
    /// <summary>No shape stands out of the background.</summary>
    public static readonly ImageAnalysis Nothing = new(ImageAttributes.Unknown, 0, 0);

    public bool FoundShape => ForegroundFraction > 0;
}
