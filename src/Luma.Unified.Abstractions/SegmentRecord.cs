using System.Text.Json.Serialization;

namespace Luma.Unified.Abstractions;

/// <summary>
/// One segment of a stored document: a modality name plus its payload. Text segments carry <see cref="Text"/>;
/// media segments carry encoded bytes in <see cref="Data"/>, their <see cref="Encoding"/> and the metadata
/// that applies. Plugin modalities use the same fields (and <see cref="Extra"/> for anything else, as JSON).
/// Column names are snake_case so that pyarrow/pandas users read the shards without a mapping.
/// </summary>
public sealed class SegmentRecord
{
    /// <summary>Modality name: <c>text</c>, <c>image</c>, <c>audio</c>, <c>video</c>, or a plugin's name.</summary>
    [JsonPropertyName("modality")]
    public string Modality { get; set; } = "";

    /// <summary>The text of a text segment.</summary>
    [JsonPropertyName("text")]
    public string? Text { get; set; }

    /// <summary>Encoded media bytes.</summary>
    [JsonPropertyName("data")]
    public byte[]? Data { get; set; }

    /// <summary>How <see cref="Data"/> is encoded: <c>png</c>, <c>jpeg</c>, <c>wav</c>, <c>flac</c>, <c>mp4</c>, <c>png-frames</c>, ...</summary>
    [JsonPropertyName("encoding")]
    public string? Encoding { get; set; }

    /// <summary>Image or video frame width in pixels.</summary>
    [JsonPropertyName("width")]
    public int? Width { get; set; }

    /// <summary>Image or video frame height in pixels.</summary>
    [JsonPropertyName("height")]
    public int? Height { get; set; }

    /// <summary>Audio sample rate in Hz.</summary>
    [JsonPropertyName("sample_rate")]
    public int? SampleRate { get; set; }

    /// <summary>Audio or video duration in seconds.</summary>
    [JsonPropertyName("duration_s")]
    public double? DurationSeconds { get; set; }

    /// <summary>Video frames per second.</summary>
    [JsonPropertyName("fps")]
    public double? Fps { get; set; }

    /// <summary>Video frame count.</summary>
    [JsonPropertyName("frames")]
    public int? Frames { get; set; }

    /// <summary>Further metadata as a JSON object, for plugin modalities.</summary>
    [JsonPropertyName("extra")]
    public string? Extra { get; set; }
}
