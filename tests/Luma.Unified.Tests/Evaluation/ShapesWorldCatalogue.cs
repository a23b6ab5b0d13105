using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Tests.Evaluation;

/// <summary>Every image scene, motion and tone the shapes world can draw, for tests that go through all of them.</summary>
public static class ShapesWorldCatalogue
{
    /// <summary>8 colours × 5 shapes × 3 sizes × 9 grid cells = 1080 scenes, in that nesting order (the cell innermost).</summary>
    public static readonly IReadOnlyList<ShapeScene> Scenes =
        (from color in ShapesVocabulary.Colors
         from shape in ShapesVocabulary.Shapes
         from size in ShapesVocabulary.Sizes
         from vertical in ShapesVocabulary.VerticalPositions
         from horizontal in ShapesVocabulary.HorizontalPositions
         select new ShapeScene(color, shape, size, vertical, horizontal)).ToList();

    /// <summary>8 colours × 5 shapes × 4 directions = 160 motions.</summary>
    public static readonly IReadOnlyList<MotionSpec> Motions =
        (from color in ShapesVocabulary.Colors
         from shape in ShapesVocabulary.Shapes
         from direction in ShapesVocabulary.Directions
         select new MotionSpec(color, shape, direction)).ToList();

    /// <summary>8 pitches × 3 durations × 2 loudnesses = 48 tones.</summary>
    public static readonly IReadOnlyList<ToneSpec> Tones =
        (from pitch in ShapesVocabulary.PitchesHz
         from duration in ToneSpec.Durations
         from loudness in ToneSpec.Loudnesses
         select new ToneSpec(pitch, duration, loudness)).ToList();
}
