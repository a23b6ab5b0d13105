using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;
using Luma.Unified.Evaluation.Analysis;
using Xunit.Abstractions;

namespace Luma.Unified.Tests.Evaluation;

public sealed class ShapeImageAnalyserTests(ITestOutputHelper output)
{
    private static readonly ShapeImageAnalyser s_analyser = new();

    // Every colour × shape × grid cell once, its size turning with the cell and with the colour-and-shape
    // pair (360 scenes), so every size meets every colour, shape and cell at a third of the cost.
    // In the catalogue, i / 27 numbers the colour-and-shape pair, i / 9 % 3 the size, i % 9 the cell.
    private static readonly IReadOnlyList<ShapeScene> s_sizesInTurn = ShapesWorldCatalogue.Scenes.Where((_, i) => i / 9 % 3 == (i / 27 + i % 9) % 3).ToList();

    [Fact]
    public void CleanRendersAt64AreReadBackExactly()
    {
        var accuracy = Accuracy(ShapesWorldCatalogue.Scenes, scene => scene.Render(64), out var analyses);

        Assert.Equal((1.0, 1.0, 1.0, 1.0), accuracy);
        Assert.All(analyses, a => Assert.InRange(a.ShapeMatch, 0.7, 1.0));
        Assert.InRange(analyses.Average(a => a.ShapeMatch), 0.88, 1.0);
    }

    [Fact]
    public void BlurredNoisyRendersKeepEveryAttribute()
    {
        var random = new Random(12);

        // Blur first, then noise: the noise is not smoothed away, as in a VAE decode's speckle.
        var (color, position, shape, size) = Accuracy(s_sizesInTurn, scene => ImageDegradation.AddNoise(ImageDegradation.BoxBlur3(scene.Render(64)), sigma: 12, random), out _);

        Assert.Equal(1.0, color);
        Assert.Equal(1.0, position);
        Assert.InRange(shape, 0.99, 1.0);
        Assert.InRange(size, 0.99, 1.0);
    }

    [Fact]
    public void OtherImageSidesAreReadToo()
    {
        foreach (var side in new[] { 48, 128 })
        {
            foreach (var scene in ShapesWorldCatalogue.Scenes.Where((_, i) => i % 17 == 0))
            {
                Assert.Equal(ImageAttributes.Of(scene), s_analyser.Analyse(scene.Render(side)).Attributes);
            }
        }
    }

    [Fact]
    public void AnImageWithoutAShapeIsReadAsNothing()
    {
        var grey = new RgbImage(64, 64, Enumerable.Repeat(ShapeScene.Background.R, 64 * 64 * 3).ToArray());
        var speckle = ImageDegradation.AddNoise(grey, sigma: 12, new Random(3));

        Assert.Equal(ImageAnalysis.Nothing, s_analyser.Analyse(grey));
        Assert.Equal(ImageAnalysis.Nothing, s_analyser.Analyse(speckle));
        Assert.False(s_analyser.Analyse(speckle).FoundShape);
    }

    [Fact]
    public void ImagesTooSmallToReadAreRefusedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => s_analyser.Analyse(new ShapeScene("red", "circle", "large", "middle", "center").Render(8)));

        Assert.Contains("8×8", error.Message);
        Assert.Contains($"{ShapeImageAnalyser.MinimumSide}", error.Message);
    }

    [Fact]
    public void AShapeOnADriftedBackgroundIsStillFound()
    {
        var scene = new ShapeScene("purple", "star", "medium", "bottom", "right");
        var drifted = scene.Render(64);
        drifted = drifted with { Pixels = drifted.Pixels.Select(p => (byte)Math.Clamp(p + 15, 0, 255)).ToArray() };

        Assert.Equal(ImageAttributes.Of(scene), s_analyser.Analyse(drifted).Attributes);
    }

    // Share of the scenes whose colour, grid cell (both words), shape and size are read right.
    private (double Color, double Position, double Shape, double Size) Accuracy(IReadOnlyList<ShapeScene> scenes, Func<ShapeScene, RgbImage> render, out List<ImageAnalysis> analyses)
    {
        analyses = scenes.Select(scene => s_analyser.Analyse(render(scene))).ToList();
        var pairs = scenes.Zip(analyses, (scene, analysis) => (Truth: ImageAttributes.Of(scene), Read: analysis.Attributes)).ToList();
        double Share(Func<ImageAttributes, ImageAttributes, bool> right) => pairs.Count(p => right(p.Truth, p.Read)) / (double)pairs.Count;
        var accuracy = (
            Share((t, r) => t.Color == r.Color),
            Share((t, r) => t.Vertical == r.Vertical && t.Horizontal == r.Horizontal),
            Share((t, r) => t.Shape == r.Shape),
            Share((t, r) => t.Size == r.Size));
        output.WriteLine($"{pairs.Count} scenes: colour {accuracy.Item1:P1}, position {accuracy.Item2:P1}, shape {accuracy.Item3:P1}, size {accuracy.Item4:P1}, " +
            $"shape match IoU min {analyses.Min(a => a.ShapeMatch):F2} mean {analyses.Average(a => a.ShapeMatch):F2}");
        foreach (var miss in pairs.Where(p => p.Truth != p.Read))
        {
            output.WriteLine($"  {Describe(miss.Truth)} read as {Describe(miss.Read)}");
        }
        return accuracy;

        static string Describe(ImageAttributes a) => $"{a.Size} {a.Color} {a.Shape} at {a.Vertical} {a.Horizontal}";
    }
}
