using Luma.Unified.Abstractions;
using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Format;

namespace Luma.Unified.Data.Synthesis;

/// <summary>
/// The built-in multimodal dataset: documents that pair shapes-world media with captions stating their
/// attributes — images of one coloured shape, tones, short videos of a moving shape, and interleaved
/// documents mixing all three with text. Document i depends only on (seed, i), so any subset can be
/// generated in parallel and regenerated identically.
/// </summary>
public sealed class ShapesWorld(long seed, ShapesWorldOptions options)
{
    /// <summary>The document with index <paramref name="index"/>.</summary>
    public DocumentRecord Document(long index)
    {
        var random = new Random(SeedMixer.Mix(seed, index));
        var segments = PickKind(random.NextDouble()) switch
        {
            Kind.Image => ImageDocument(random),
            Kind.Audio => AudioDocument(random),
            Kind.Video => VideoDocument(random),
            _ => InterleavedDocument(random),
        };
        return new DocumentRecord { Id = $"shapes/{index:D8}", Segments = segments };
    }

    private enum Kind
    {
        Image,
        Audio,
        Video,
        Interleaved,
    }

    private Kind PickKind(double u)
    {
        double[] weights = [options.ImageWeight, options.AudioWeight, options.VideoWeight, options.InterleavedWeight];
        var threshold = u * weights.Sum();
        for (var k = 0; k < weights.Length; k++)
        {
            threshold -= weights[k];
            if (threshold < 0)
            {
                return (Kind)k;
            }
        }
        return Kind.Interleaved;
    }

    // Captions come before the media half of the time (text → media) and after it otherwise (media → text).
    private static List<SegmentRecord> CaptionedPair(Random random, SegmentRecord media, string caption) =>
        random.Next(2) == 0 ? [Segments.OfText(caption), media] : [media, Segments.OfText(caption)];

    private List<SegmentRecord> ImageDocument(Random random)
    {
        var scene = ShapeScene.Random(random);
        return CaptionedPair(random, Segments.OfImage(scene.Render(options.ImageSize)), scene.Caption);
    }

    private List<SegmentRecord> AudioDocument(Random random)
    {
        var tone = ToneSpec.Random(random);
        return CaptionedPair(random, Segments.OfAudio(tone.Render(options.SampleRate)), tone.Caption);
    }

    private List<SegmentRecord> VideoDocument(Random random)
    {
        var motion = MotionSpec.Random(random);
        return CaptionedPair(random, Segments.OfVideo(motion.Render(options.VideoSize, options.VideoFrames, options.VideoFps)), motion.Caption);
    }

    private List<SegmentRecord> InterleavedDocument(Random random)
    {
        var scene = ShapeScene.Random(random);
        var tone = ToneSpec.Random(random);
        var motion = MotionSpec.Random(random);
        return
        [
            Segments.OfText("here is a picture."),
            Segments.OfImage(scene.Render(options.ImageSize)),
            Segments.OfText($"it shows {scene.Caption} now listen."),
            Segments.OfAudio(tone.Render(options.SampleRate)),
            Segments.OfText($"that was {tone.Caption} and then a clip."),
            Segments.OfVideo(motion.Render(options.VideoSize, options.VideoFrames, options.VideoFps)),
            Segments.OfText($"in it {motion.Caption}"),
        ];
    }
}
