using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Tests.Data;

public sealed class ShapesWorldTests
{
    private static readonly ShapesWorld s_world = new(seed: 5, new ShapesWorldOptions());

    [Fact]
    public void DocumentsAreAPureFunctionOfSeedAndIndex()
    {
        var a = s_world.Document(17);
        var b = new ShapesWorld(5, new ShapesWorldOptions()).Document(17);
        var other = new ShapesWorld(6, new ShapesWorldOptions()).Document(17);

        Assert.Equal("shapes/00000017", a.Id);
        Assert.Equal(a.Segments.Select(s => s.Text ?? Convert.ToHexString(s.Data!)), b.Segments.Select(s => s.Text ?? Convert.ToHexString(s.Data!)));
        Assert.NotEqual(a.Segments.Select(s => s.Text ?? s.Modality), other.Segments.Select(s => s.Text ?? s.Modality));
    }

    [Fact]
    public void TheMixContainsEveryKindInRoughlyTheConfiguredShares()
    {
        var documents = Enumerable.Range(0, 400).Select(i => s_world.Document(i)).ToList();
        double Share(Func<DocumentRecord, bool> kind) => documents.Count(kind) / 400.0;

        Assert.InRange(Share(d => d.Segments.Count == 2 && d.Segments.Any(s => s.Modality == Segments.Image)), 0.3, 0.5);
        Assert.InRange(Share(d => d.Segments.Count == 2 && d.Segments.Any(s => s.Modality == Segments.Audio)), 0.12, 0.28);
        Assert.InRange(Share(d => d.Segments.Count == 2 && d.Segments.Any(s => s.Modality == Segments.Video)), 0.12, 0.28);
        Assert.InRange(Share(d => d.Segments.Count == 7), 0.12, 0.28);
    }

    [Fact]
    public void ImageCaptionsStateWhatThePixelsShow()
    {
        var scene = new ShapeScene("green", "square", "large", "top", "left");
        var image = scene.Render(64);
        var (cx, cy) = scene.CenterFraction;

        Assert.Equal(ShapeScene.Rgb("green"), image.At((int)(cx * 64), (int)(cy * 64)));
        Assert.Equal(ShapeScene.Background, image.At(60, 60));
        Assert.Equal("a large green square at the top left.", scene.Caption);
    }

    [Fact]
    public void TonesHaveTheirPitchDurationAndLoudness()
    {
        var clip = new ToneSpec(440, 1.0, "quiet").Render(16_000);

        var crossings = clip.Samples.Zip(clip.Samples.Skip(1), (a, b) => a <= 0 && b > 0).Count(x => x);
        Assert.Equal(16_000, clip.Samples.Length);
        Assert.InRange(crossings, 438, 441);
        Assert.InRange(clip.Samples.Max(), 0.24, 0.2501);
    }

    [Fact]
    public void VideosMoveTheShapeInTheStatedDirection()
    {
        var clip = new MotionSpec("yellow", "circle", "left").Render(side: 32, frames: 8, fps: 8);
        double CenterX(RgbImage frame)
        {
            var xs = Enumerable.Range(0, 32 * 32).Where(i => frame.At(i % 32, i / 32) == ShapeScene.Rgb("yellow")).Select(i => i % 32).ToList();
            return xs.Average();
        }

        Assert.True(CenterX(clip.Frames[0]) > CenterX(clip.Frames[7]) + 10);
        Assert.Equal("a yellow circle moves left.", new MotionSpec("yellow", "circle", "left").Caption);
    }

    [Fact]
    public void CaptionsUseTheSharedVocabulary()
    {
        var words = Enumerable.Range(0, 200).SelectMany(i => s_world.Document(i).Segments).Where(s => s.Text is not null)
            .SelectMany(s => s.Text!.Split(' ', '.')).ToHashSet();

        Assert.Superset(ShapesVocabulary.Colors.ToHashSet(), words);
        Assert.Superset(ShapesVocabulary.Directions.ToHashSet(), words);
    }
}
