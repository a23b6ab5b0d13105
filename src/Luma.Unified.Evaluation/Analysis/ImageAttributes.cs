using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Evaluation.Analysis;

/// <summary>
/// What a shapes-world image shows, or what its caption says it shows. The same record comes out of
/// <see cref="ShapeImageAnalyser"/> (read from pixels) and <see cref="CaptionParser"/> (read from text), so a
/// generation is scored by comparing two of them field by field. A null field is an attribute that could not
/// be read: no shape was found, or the caption names none (or names conflicting ones).
/// </summary>
public sealed record ImageAttributes(string? Color, string? Shape, string? Size, string? Vertical, string? Horizontal)
{
    /// <summary>Nothing could be read.</summary>
    public static readonly ImageAttributes Unknown = new(null, null, null, null, null);

    /// <summary>The attributes a scene was drawn with: the ground truth for a rendered or prompted image.</summary>
    public static ImageAttributes Of(ShapeScene scene) => new(scene.Color, scene.Shape, scene.Size, scene.Vertical, scene.Horizontal);
}
