using Luma.Unified.Data.Media;

namespace Luma.Unified.Training.Observability;

/// <summary>Tiles images of one size into a near-square grid, row by row, on a white background with a gap between them.</summary>
public static class ImageGrid
{
    /// <summary>The grid of <paramref name="images"/>: ⌈√n⌉ columns, <paramref name="gap"/> pixels between and around tiles.</summary>
    public static RgbImage Tile(IReadOnlyList<RgbImage> images, int gap = 2)
    {
        ArgumentOutOfRangeException.ThrowIfZero(images.Count);
        var (width, height) = (images[0].Width, images[0].Height);
        if (images.Any(i => i.Width != width || i.Height != height))
        {
            throw new ArgumentException("grid tiles must share one size.", nameof(images));
        }
        var columns = (int)Math.Ceiling(Math.Sqrt(images.Count));
        var rows = (images.Count + columns - 1) / columns;
        var (gridWidth, gridHeight) = (columns * (width + gap) + gap, rows * (height + gap) + gap);
        var pixels = Enumerable.Repeat((byte)255, gridWidth * gridHeight * 3).ToArray();
        for (var i = 0; i < images.Count; i++)
        {
            var (left, top) = (gap + i % columns * (width + gap), gap + i / columns * (height + gap));
            for (var y = 0; y < height; y++)
            {
                Array.Copy(images[i].Pixels, y * width * 3, pixels, ((top + y) * gridWidth + left) * 3, width * 3);
            }
        }
        return new RgbImage(gridWidth, gridHeight, pixels);
    }
}
