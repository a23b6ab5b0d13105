using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;
using Luma.Unified.Evaluation.Analysis;
using Xunit.Abstractions;

namespace Luma.Unified.Tests.Evaluation;

public sealed class MotionAnalyserTests(ITestOutputHelper output)
{
    private static readonly MotionAnalyser s_analyser = new();

    [Fact]
    public void EveryDirectionOfEveryColourAndShapeIsReadBack()
    {
        var read = ShapesWorldCatalogue.Motions.Select(m => (Truth: MotionAttributes.Of(m), Read: s_analyser.Analyse(m.Render(side: 32, frames: 8, fps: 8)))).ToList();
        double Share(Func<MotionAttributes, MotionAttributes, bool> right) => read.Count(p => right(p.Truth, p.Read)) / (double)read.Count;
        output.WriteLine($"{read.Count} clips: direction {Share((t, r) => t.Direction == r.Direction):P1}, colour {Share((t, r) => t.Color == r.Color):P1}, shape {Share((t, r) => t.Shape == r.Shape):P1}");

        Assert.Equal(1.0, Share((t, r) => t.Direction == r.Direction));
        Assert.Equal(1.0, Share((t, r) => t.Color == r.Color));
        Assert.InRange(Share((t, r) => t.Shape == r.Shape), 0.95, 1.0);
    }

    [Fact]
    public void NoisyBlurredFramesKeepTheirDirection()
    {
        var random = new Random(4);
        foreach (var direction in ShapesVocabulary.Directions)
        {
            var clip = new MotionSpec("purple", "star", direction).Render(side: 32, frames: 8, fps: 8);
            var degraded = clip with { Frames = clip.Frames.Select(f => ImageDegradation.AddNoise(ImageDegradation.BoxBlur3(f), sigma: 12, random)).ToList() };

            Assert.Equal(direction, s_analyser.Analyse(degraded).Direction);
        }
    }

    [Fact]
    public void AStillShapeHasNoDirectionAndAnEmptyClipNothing()
    {
        var frame = new ShapeScene("red", "circle", "medium", "middle", "center").Render(32);
        var grey = new RgbImage(32, 32, Enumerable.Repeat(ShapeScene.Background.R, 32 * 32 * 3).ToArray());

        Assert.Equal(new MotionAttributes("red", "circle", null), s_analyser.Analyse(new VideoClip([frame, frame, frame], 8)));
        Assert.Equal(MotionAttributes.Unknown, s_analyser.Analyse(new VideoClip([grey, grey], 8)));
    }
}
