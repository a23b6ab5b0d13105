using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Media;

namespace Luma.Unified.Data.Synthesis;

/// <summary>A shape crossing the frame in one direction: what a shapes-world video shows and its caption states.</summary>
public sealed record MotionSpec(string Color, string Shape, string Direction)
{
    /// <summary>A motion drawn uniformly from the vocabulary.</summary>
    public static MotionSpec Random(Random random) => new(
        ShapesVocabulary.Colors[random.Next(ShapesVocabulary.Colors.Length)],
        ShapesVocabulary.Shapes[random.Next(ShapesVocabulary.Shapes.Length)],
        ShapesVocabulary.Directions[random.Next(ShapesVocabulary.Directions.Length)]);

    /// <summary>"a red circle moves left."</summary>
    public string Caption => $"a {Color} {Shape} moves {Direction}.";

    /// <summary><paramref name="frames"/> frames in which the shape travels from 0.75 to 0.25 of the side (or back) along its direction.</summary>
    public VideoClip Render(int side, int frames, double fps)
    {
        var scene = new ShapeScene(Color, Shape, "medium", "middle", "center");
        var result = new List<RgbImage>(frames);
        for (var f = 0; f < frames; f++)
        {
            var t = frames == 1 ? 0 : (double)f / (frames - 1);
            var travel = 0.75 - 0.5 * t; // 0.75 → 0.25
            var center = Direction switch
            {
                "left" => (travel, 0.5),
                "right" => (1 - travel, 0.5),
                "up" => (0.5, travel),
                _ => (0.5, 1 - travel),
            };
            result.Add(scene.Draw(side, center, scene.RadiusFraction));
        }
        return new VideoClip(result, fps);
    }
}
