namespace Luma.Unified.Data.Media;

/// <summary>A segment's payload decoded: exactly one of the members is set, matching the modality.</summary>
public sealed record DecodedMedia(string? Text = null, RgbImage? Image = null, AudioClip? Audio = null, VideoClip? Video = null, EncodedMedia? Encoded = null)
{
    /// <summary>One-line description for tables and error reports ("image 64×64", "audio 1.00 s @ 16000 Hz").</summary>
    public string Describe() => this switch
    {
        { Image: { } i } => $"image {i.Width}×{i.Height}",
        { Audio: { } a } => FormattableString.Invariant($"audio {a.DurationSeconds:0.00} s @ {a.SampleRate} Hz"),
        { Video: { } v } => FormattableString.Invariant($"video {v.Frames.Count} frames {v.Width}×{v.Height} @ {v.Fps:0.#} fps"),
        { Text: { } t } => $"text \"{(t.Length > 60 ? t[..57] + "..." : t)}\"",
        { Encoded: { } e } => $"{e.Kind} {(e.Latents is null ? "codes" : "latents")} {string.Join("×", e.Shape)}",
        _ => "empty",
    };
}
