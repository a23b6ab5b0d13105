namespace Luma.Unified.Data.Media;

/// <summary>A short video: equally sized RGB frames at <see cref="Fps"/> frames per second.</summary>
public sealed record VideoClip(IReadOnlyList<RgbImage> Frames, double Fps)
{
    public int Width => Frames[0].Width;

    public int Height => Frames[0].Height;

    public double DurationSeconds => Frames.Count / Fps;
}
