using System.Diagnostics;
using Luma.Unified.Abstractions;
using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;
using Luma.Unified.Evaluation.Analysis;
using Luma.Unified.Model.Generation;
using Luma.Unified.Modalities.Media;

namespace Luma.Unified.Evaluation;

/// <summary>
/// Scores generation on prompts drawn from a seed the training data does not use: images rendered from random
/// scenes are captioned and the captions parsed; captions of random scenes are rendered to images by the model and
/// the images analysed; tone captions become audio whose pitch is measured; a moving shape's first frame and
/// caption are rolled out to a video whose motion direction is measured. Every check is deterministic, so the
/// same checkpoint, seed and sampling settings give the same report.
/// </summary>
public sealed class ShapesWorldEvaluation(MediaGeneration generation, int imageSide, VideoModality? video)
{
    private readonly MotionAnalyser _motion = new();
    private static readonly string[] s_attributes = ["color", "shape", "size", "vertical", "horizontal"];
    private readonly ShapeImageAnalyser _images = new();

    /// <summary>Tasks each prompt index is scored on: captioning and text → image (image), pitch (audio), direction (video).</summary>
    public int TasksPerPrompt => (generation.Has(Segments.Image) ? 2 : 0) + (generation.Has(Segments.Audio) ? 1 : 0) + (video is null ? 0 : 1);

    /// <summary>Runs <paramref name="prompts"/> prompts per task; <paramref name="progress"/> counts finished prompts.</summary>
    public EvaluationReport Run(int prompts, long seed, SamplingOptions text, LatentSampling latents, IProgress<long>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(SeedMixer.Mix(seed, 0x5EED));
        var scenes = Enumerable.Range(0, prompts).Select(_ => ShapeScene.Random(random)).ToList();
        var tones = Enumerable.Range(0, prompts).Select(_ => ToneSpec.Random(random)).ToList();
        var motions = Enumerable.Range(0, prompts).Select(_ => MotionSpec.Random(random)).ToList();
        var done = 0;
        void Step() => progress?.Report(++done);

        double? captionAccuracy = null, exact = null, color = null, shape = null, position = null, pitch = null, direction = null;
        (double Color, double Shape, double Position)? codec = null;
        var perAttribute = new Dictionary<string, double>();
        if (generation.Has(Segments.Image))
        {
            var attributeHits = new int[s_attributes.Length];
            var exactHits = 0;
            for (var i = 0; i < prompts; i++)
            {
                var truth = ImageAttributes.Of(scenes[i]);
                var said = CaptionParser.ParseImage(generation.Caption(Segments.OfImage(scenes[i].Render(imageSide)), text with { Seed = text.Seed + i }));
                var hits = Matches(truth, said);
                for (var a = 0; a < hits.Length; a++)
                {
                    attributeHits[a] += hits[a] ? 1 : 0;
                }
                exactHits += hits.All(h => h) ? 1 : 0;
                Step();
            }
            for (var a = 0; a < s_attributes.Length; a++)
            {
                perAttribute[s_attributes[a]] = (double)attributeHits[a] / prompts;
            }
            captionAccuracy = perAttribute.Values.Average();
            exact = (double)exactHits / prompts;

            (color, shape, position) = ImageScores(scenes, i =>
            {
                var image = generation.TextToImage(scenes[i].Caption, latents with { Seed = latents.Seed + i });
                Step();
                return image;
            });
            codec = ImageScores(scenes, i => generation.ThroughCodec(Segments.OfImage(scenes[i].Render(imageSide))));
        }
        if (generation.Has(Segments.Audio))
        {
            var hits = 0;
            for (var i = 0; i < prompts; i++)
            {
                var clip = SegmentDecoder.Decode(generation.TextToAudio(tones[i].Caption, text with { Seed = text.Seed + i }, tones[i].DurationSeconds + 0.5)).Audio!;
                hits += PitchAnalyser.Analyse(clip)?.NearestVocabularyHz == tones[i].PitchHz ? 1 : 0;
                Step();
            }
            pitch = (double)hits / prompts;
        }
        if (video is not null)
        {
            var world = new ShapesWorldOptions();
            var hits = 0;
            for (var i = 0; i < prompts; i++)
            {
                var firstFrame = motions[i].Render(video.FrameSize, world.VideoFrames, world.VideoFps).Frames[0];
                var rollout = generation.VideoRollout(motions[i].Caption, firstFrame, video.LatentFramesOf(world.VideoFrames), latents with { Seed = latents.Seed + i });
                hits += _motion.Analyse(SegmentDecoder.Decode(rollout).Video!).Direction == motions[i].Direction ? 1 : 0;
                Step();
            }
            direction = (double)hits / prompts;
        }
        return new EvaluationReport(prompts, captionAccuracy, exact, perAttribute, color, shape, position, codec?.Color, codec?.Shape, codec?.Position, pitch, direction, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The share of <paramref name="imageOf"/>(i) whose analysed colour, shape and grid cell match scene i.</summary>
    private (double Color, double Shape, double Position) ImageScores(IReadOnlyList<ShapeScene> scenes, Func<int, SegmentRecord> imageOf)
    {
        int colorHits = 0, shapeHits = 0, positionHits = 0;
        for (var i = 0; i < scenes.Count; i++)
        {
            var seen = _images.Analyse(SegmentDecoder.Decode(imageOf(i)).Image!).Attributes;
            colorHits += seen.Color == scenes[i].Color ? 1 : 0;
            shapeHits += seen.Shape == scenes[i].Shape ? 1 : 0;
            positionHits += seen.Vertical == scenes[i].Vertical && seen.Horizontal == scenes[i].Horizontal ? 1 : 0;
        }
        return ((double)colorHits / scenes.Count, (double)shapeHits / scenes.Count, (double)positionHits / scenes.Count);
    }

    private static bool[] Matches(ImageAttributes truth, ImageAttributes said) =>
        [truth.Color == said.Color, truth.Shape == said.Shape, truth.Size == said.Size, truth.Vertical == said.Vertical, truth.Horizontal == said.Horizontal];
}
