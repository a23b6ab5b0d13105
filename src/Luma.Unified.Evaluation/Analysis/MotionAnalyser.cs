using Luma.Unified.Data.Media;

namespace Luma.Unified.Evaluation.Analysis;

/// <summary>
/// Reads which way the shape in a shapes-world video moves, and its colour and shape. The direction comes from a
/// least-squares line through the shape's centroid in every frame where one stands out, rather than from the
/// first and last frames alone, so one smeared or empty frame of a generated clip does not decide it; the axis
/// with the larger travel wins. Colour and shape are read from the middle tracked frame, where
/// <see cref="Data.Synthesis.MotionSpec"/> has the shape farthest from the edges.
/// </summary>
public sealed class MotionAnalyser
{
    /// <summary>
    /// Least travel, as a fraction of the frame side, that counts as moving: a fifth of the half-side journey
    /// <see cref="Data.Synthesis.MotionSpec"/> gives a shape, and well above the pixel or two a centroid jitters by.
    /// </summary>
    public const double MinimumTravel = 0.1;

    private readonly ShapeImageAnalyser _images = new();

    /// <summary>Colour, shape and direction; all null when no frame shows a shape, direction null when it does not travel <see cref="MinimumTravel"/>; throws, as <see cref="ShapeImageAnalyser"/> does, for frames under <see cref="ShapeImageAnalyser.MinimumSide"/>.</summary>
    public MotionAttributes Analyse(VideoClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var track = clip.Frames
            .Select((frame, index) => (Index: index, Blob: ForegroundBlob.Detect(frame, out _)))
            .Where(f => f.Blob is not null)
            .Select(f => (f.Index, X: f.Blob!.Centroid.X / f.Blob.Width, Y: f.Blob.Centroid.Y / f.Blob.Height))
            .ToList();
        if (track.Count == 0)
        {
            return MotionAttributes.Unknown;
        }
        var look = _images.Analyse(clip.Frames[track[track.Count / 2].Index]).Attributes;
        return new MotionAttributes(look.Color, look.Shape, Direction(track));
    }

    private static string? Direction(List<(int Index, double X, double Y)> track)
    {
        if (track.Count < 2)
        {
            return null;
        }
        var span = track[^1].Index - track[0].Index;
        var (travelX, travelY) = (span * Slope(track, p => p.X), span * Slope(track, p => p.Y));
        if (Math.Max(Math.Abs(travelX), Math.Abs(travelY)) < MinimumTravel)
        {
            return null;
        }
        return Math.Abs(travelX) >= Math.Abs(travelY)
            ? (travelX < 0 ? "left" : "right")
            : (travelY < 0 ? "up" : "down");
    }

    // Least-squares slope of a coordinate against frame index.
    private static double Slope(List<(int Index, double X, double Y)> track, Func<(int Index, double X, double Y), double> coordinate)
    {
        var meanIndex = track.Average(p => p.Index);
        var meanValue = track.Average(coordinate);
        var covariance = track.Sum(p => (p.Index - meanIndex) * (coordinate(p) - meanValue));
        var variance = track.Sum(p => (p.Index - meanIndex) * (p.Index - meanIndex));
        return covariance / variance;
    }
}
