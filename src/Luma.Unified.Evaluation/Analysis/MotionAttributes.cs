using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Evaluation.Analysis;

/// <summary>
/// What a shapes-world video shows, or what its caption says: which shape, in which colour, moves which way.
/// Produced by <see cref="MotionAnalyser"/> and <see cref="CaptionParser"/>; a null field could not be read.
/// </summary>
public sealed record MotionAttributes(string? Color, string? Shape, string? Direction)
{
    /// <summary>Nothing could be read.</summary>
    public static readonly MotionAttributes Unknown = new(null, null, null);

    /// <summary>The attributes a motion was rendered with: the ground truth for a rendered or prompted video.</summary>
    public static MotionAttributes Of(MotionSpec motion) => new(motion.Color, motion.Shape, motion.Direction);
}
