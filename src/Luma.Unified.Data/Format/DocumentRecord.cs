using System.Text.Json.Serialization;
using Luma.Unified.Abstractions;

namespace Luma.Unified.Data.Format;

/// <summary>One row of a shard: a document, as an ordered list of segments of any modality.</summary>
public sealed class DocumentRecord
{
    /// <summary>Stable id, unique within the dataset (used in logs, error reports and resume checks).</summary>
    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    /// <summary>The document's segments in reading order.</summary>
    [JsonPropertyName("segments")]
    public List<SegmentRecord> Segments { get; set; } = [];
}
