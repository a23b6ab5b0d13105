using Luma.Unified.Evaluation.Analysis;

namespace Luma.Unified.Tests.Evaluation;

public sealed class CaptionParserTests
{
    [Fact]
    public void EveryImageCaptionRoundTrips()
    {
        Assert.Equal(1080, ShapesWorldCatalogue.Scenes.Count);
        Assert.All(ShapesWorldCatalogue.Scenes, scene => Assert.Equal(ImageAttributes.Of(scene), CaptionParser.ParseImage(scene.Caption)));
    }

    [Fact]
    public void EveryMotionCaptionRoundTrips()
    {
        Assert.Equal(160, ShapesWorldCatalogue.Motions.Count);
        Assert.All(ShapesWorldCatalogue.Motions, motion => Assert.Equal(MotionAttributes.Of(motion), CaptionParser.ParseMotion(motion.Caption)));
    }

    [Fact]
    public void EveryToneCaptionRoundTrips()
    {
        Assert.Equal(48, ShapesWorldCatalogue.Tones.Count);
        Assert.All(ShapesWorldCatalogue.Tones, tone => Assert.Equal(ToneAttributes.Of(tone), CaptionParser.ParseTone(tone.Caption)));
    }

    [Fact]
    public void CaptionsInsideInterleavedTextAreRead()
    {
        Assert.Equal(new ImageAttributes("red", "circle", "small", "top", "left"), CaptionParser.ParseImage("it shows a small red circle at the top left. now listen."));
        Assert.Equal(new ToneAttributes(440, "loud", 1.0), CaptionParser.ParseTone("that was a loud tone of 440 hz for 1.0 seconds. and then a clip."));
        Assert.Equal(new MotionAttributes("blue", "star", "up"), CaptionParser.ParseMotion("in it a blue star moves up."));
    }

    [Fact]
    public void NoisyCaptionsKeepWhatTheyStillSay()
    {
        Assert.Equal(new ImageAttributes("red", null, null, "top", "left"), CaptionParser.ParseImage("a smal RED circel at the top  left"));
        Assert.Equal(new ImageAttributes(null, "square", "large", null, "center"), CaptionParser.ParseImage("a large red blue square at the center."));
        Assert.Equal(new ToneAttributes(262, null, 1.5), CaptionParser.ParseTone("a lod tone of 262hz for 1.5 second"));
        Assert.Equal(new ToneAttributes(null, "quiet", null), CaptionParser.ParseTone("a quiet tone of 440.5 hz for 1.0 seconds or 2.0 seconds."));
        Assert.Equal(new MotionAttributes("green", "cross", null), CaptionParser.ParseMotion("a green cross moves left and then up."));
    }

    [Fact]
    public void GarbageStatesNothing()
    {
        foreach (var garbage in new[] { "", "   ", "zq xv 7.7.7 ...", "the the the hz seconds", "\u00e9\u00e8 \ud83d\ude00" })
        {
            Assert.Equal(ImageAttributes.Unknown, CaptionParser.ParseImage(garbage));
            Assert.Equal(MotionAttributes.Unknown, CaptionParser.ParseMotion(garbage));
            Assert.Equal(ToneAttributes.Unknown, CaptionParser.ParseTone(garbage));
        }
    }
}
