using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Evaluation.Analysis;

/// <summary>What a tone caption says: its pitch, loudness and duration; a null field is one the caption does not state.</summary>
public sealed record ToneAttributes(int? PitchHz, string? Loudness, double? DurationSeconds)
{
    /// <summary>Nothing could be read.</summary>
    public static readonly ToneAttributes Unknown = new(null, null, null);

    /// <summary>The attributes a tone was rendered with: the ground truth for a rendered or prompted clip.</summary>
    public static ToneAttributes Of(ToneSpec tone) => new(tone.PitchHz, tone.Loudness, tone.DurationSeconds);
}
