using Luma.Unified.Data.Media;

namespace Luma.Unified.Evaluation.Analysis;

/// <summary>
/// The largest 8-connected group of pixels that stand out from an image's background: where its one shape is.
/// Keeping only the largest group is what makes the analysers robust to noisy decodes — Gaussian noise of
/// σ = 12 (of 255) pushes about 1 background pixel in 90 past <see cref="MinimumContrast"/>, but those pixels
/// are scattered, while the shape is one connected piece (the star's and the cross's arms included).
/// </summary>
internal sealed class ForegroundBlob
{
    /// <summary>
    /// How far (Euclidean, in RGB levels) a pixel must be from the background to be a seed foreground pixel:
    /// just under half the contrast of the palette's faintest colour, purple (140, 60, 180), which is 86 levels
    /// from the grey background; every other palette colour is 123–203 levels away.
    /// </summary>
    public const double MinimumContrast = 40;

    // The smallest shapes-world shape, a small star, covers 0.85% of the image; a blob under half that is noise.
    private const double MinimumShapeAreaFraction = 0.004;

    private readonly bool[] _member;

    private ForegroundBlob(int width, int height, bool[] member, List<int> pixels)
    {
        Width = width;
        Height = height;
        _member = member;
        Pixels = pixels;
        Centroid = (pixels.Average(i => i % width + 0.5), pixels.Average(i => i / width + 0.5));
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Indices <c>y * Width + x</c> of the blob's pixels.</summary>
    public IReadOnlyList<int> Pixels { get; }

    public int Area => Pixels.Count;

    /// <summary>Mean pixel centre, in pixels from the top-left corner (pixel (0, 0) spans [0, 1)).</summary>
    public (double X, double Y) Centroid { get; }

    /// <summary>Fewest pixels a blob in a <paramref name="width"/>×<paramref name="height"/> image needs to be taken for a shape rather than noise.</summary>
    public static int MinimumShapeArea(int width, int height) => (int)Math.Max(4, Math.Ceiling(MinimumShapeAreaFraction * width * height));

    /// <summary>Whether pixel (x, y) belongs to the blob; false outside the image.</summary>
    public bool Contains(int x, int y) => x >= 0 && y >= 0 && x < Width && y < Height && _member[y * Width + x];

    /// <summary>
    /// The shape in <paramref name="image"/>: pixels at least <see cref="MinimumContrast"/> from the background,
    /// largest connected group; null when nothing stands out. The background is the per-channel median of the
    /// image rather than the nominal (128, 128, 128), because decoded images drift a few levels in tint and a
    /// shape covers at most ~10% of the image (a large square), so the median is always a background pixel.
    /// </summary>
    public static ForegroundBlob? Detect(RgbImage image, out (double R, double G, double B) background)
    {
        var (r, g, b) = background = MedianColor(image, Enumerable.Range(0, image.Width * image.Height).ToList());
        var pixels = image.Pixels;
        return Largest(image.Width, image.Height, MinimumShapeArea(image.Width, image.Height), i =>
        {
            var (dr, dg, db) = (pixels[3 * i] - r, pixels[3 * i + 1] - g, pixels[3 * i + 2] - b);
            return dr * dr + dg * dg + db * db > MinimumContrast * MinimumContrast;
        });
    }

    /// <summary>The largest 8-connected group of pixels (by index) that <paramref name="isForeground"/> accepts; null when it has fewer than <paramref name="minimumArea"/>.</summary>
    public static ForegroundBlob? Largest(int width, int height, int minimumArea, Func<int, bool> isForeground)
    {
        var candidate = new bool[width * height];
        for (var i = 0; i < candidate.Length; i++)
        {
            candidate[i] = isForeground(i);
        }
        var visited = new bool[candidate.Length];
        List<int> largest = [];
        for (var start = 0; start < candidate.Length; start++)
        {
            if (candidate[start] && !visited[start])
            {
                var group = FloodFill(width, height, candidate, visited, start);
                if (group.Count > largest.Count)
                {
                    largest = group;
                }
            }
        }
        if (largest.Count < Math.Max(1, minimumArea))
        {
            return null;
        }
        var member = new bool[candidate.Length];
        foreach (var i in largest)
        {
            member[i] = true;
        }
        return new ForegroundBlob(width, height, member, largest);
    }

    /// <summary>Per-channel median colour of the blob's pixels in <paramref name="image"/>: its colour, unmoved by a few noisy or edge pixels.</summary>
    public (double R, double G, double B) MedianColor(RgbImage image) => MedianColor(image, Pixels);

    private static (double R, double G, double B) MedianColor(RgbImage image, IReadOnlyList<int> pixels)
    {
        double Channel(int channel)
        {
            var histogram = new int[256];
            foreach (var i in pixels)
            {
                histogram[image.Pixels[3 * i + channel]]++;
            }
            var remaining = pixels.Count / 2;
            var level = 0;
            while ((remaining -= histogram[level]) >= 0)
            {
                level++;
            }
            return level;
        }
        return (Channel(0), Channel(1), Channel(2));
    }

    private static List<int> FloodFill(int width, int height, bool[] candidate, bool[] visited, int start)
    {
        var group = new List<int> { start };
        visited[start] = true;
        for (var next = 0; next < group.Count; next++)
        {
            var (x, y) = (group[next] % width, group[next] / width);
            for (var dy = -1; dy <= 1; dy++)
            {
                for (var dx = -1; dx <= 1; dx++)
                {
                    var (nx, ny) = (x + dx, y + dy);
                    var n = ny * width + nx;
                    if (nx >= 0 && ny >= 0 && nx < width && ny < height && candidate[n] && !visited[n])
                    {
                        visited[n] = true;
                        group.Add(n);
                    }
                }
            }
        }
        return group;
    }
}
